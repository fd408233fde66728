import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameKey } from '../../electron/engine/validate/ids.ts';
import { connectFreshDatabase } from './connect.ts';

/**
 * The key of an entity matched by name is computed by the app (validate/ids.ts) and checked by the
 * server (metricdrop_private.name_key, migration 030): the two must agree on every name, or the
 * server refuses the upload.
 */
let db: pg.Client;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
});
afterAll(async () => {
  await db?.end();
});

const NAMES: Array<[string | null, string]> = [
  [null, 'Brand'],
  [null, 'BRAND || TOF || CBO || Traffic || 26/1/26 - Visit Profile || Broad || 18-65+'],
  [null, 'Ramadan 🌙 | KSA — جمهور مشابه ١٪'],
  [null, 'x'.repeat(1024)],
  ['120215553310760183', 'Broad 25-54'],
  [nameKey(null, 'Spring'), 'Broad 25-54'],
  ['', 'Käufer:innen 1 %'],
];

describe('name_key(): the server derives the same key as the app', () => {
  it.each(NAMES)('parent %s, name %#', async (parent, name) => {
    const r = await db.query<{ k: string }>('select metricdrop_private.name_key($1, $2) as k', [parent, name]);
    expect(r.rows[0]!.k).toBe(nameKey(parent, name));
  });
});
