import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';
import { createTenant, type Tenant } from './seed.ts';

/**
 * Migrations are numbered in blocks of ten per line of work (migration 021), so 015 may be followed
 * by 020: preflight's `migrations_applied` (021, then 041) accepts such gaps between blocks and
 * names a hole inside one.
 */
let db: pg.Client;
let t: Tenant;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
  t = await createTenant(db, 'preflight-blocks');
});
afterAll(async () => {
  await db?.end();
});

async function migrationsCheck(change: string): Promise<{ ok: boolean; detail: string; all: boolean }> {
  await db.query('begin');
  try {
    await db.query(change);
    await db.query(`select set_config('role','authenticated',true), set_config('request.jwt.claims',$1,true)`, [
      JSON.stringify({ sub: t.viewer.id, role: 'authenticated' }),
    ]);
    const r = await db.query<{ p: { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> } }>(
      'select public.preflight() as p',
    );
    const p = r.rows[0]!.p;
    const c = p.checks.find((x) => x.name === 'migrations_applied')!;
    return { ok: c.ok, detail: c.detail, all: p.ok };
  } finally {
    await db.query('rollback');
  }
}

describe('preflight migrations_applied with numbered blocks', () => {
  it('passes with the gaps between blocks (015 → 020, 021 → 030 …) on the real migrations', async () => {
    const c = await migrationsCheck('select 1');
    expect(c).toMatchObject({ ok: true, all: true });
    expect(c.detail).toMatch(/migrations recorded, newest \d{3}/);
  });

  it('names a migration missing inside a block, and a missing first one', async () => {
    const hole = await migrationsCheck(`delete from metricdrop_private.schema_versions where version in ('012', '020')`);
    expect(hole).toMatchObject({ ok: false, all: false });
    // The wording is the newest preflight()'s (041 names the migration after each hole).
    expect(hole.detail).toMatch(/\b01[23]\b/);
    expect(hole.detail).toMatch(/\b02[01]\b/);
  });
});
