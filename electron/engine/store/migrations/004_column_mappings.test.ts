import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../migrate.ts';
import { findMapping, forgetMapping, listMappings, mappingsForSignature, saveMapping } from '../mappings.ts';
import { MIGRATIONS } from './index.ts';

const headers = ['Day', 'Campaign name', 'Impressions', 'Link clicks', 'Budget used (EUR)'];

describe('local store migration 004 (column mappings)', () => {
  it('adds column_mappings to a version-3 store, keeping what it had', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 3);
    db.prepare(
      "insert into audit_events (at, kind, subject_id, detail_json) values ('2026-11-30T10:00:00.000Z', 'validated', 'v1', '{}')",
    ).run();
    expect(migrate(db, MIGRATIONS, 4)).toEqual([4]);
    expect(userVersion(db)).toBe(4);
    expect(db.prepare('select count(*) as n from audit_events').get()).toEqual({ n: 1 });
    expect(listMappings(db)).toEqual([]);
  });

  it('keeps one mapping per platform and header signature: confirming again replaces it under the same id', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const first = saveMapping(db, {
      id: 'm1',
      mapping: { platform: 'meta', fields: { spend: 'Budget used (EUR)' } },
      signature: 'sig',
      headers,
      at: new Date('2026-12-03T09:00:00Z'),
    });
    expect(first).toMatchObject({ id: 'm1', platform: 'meta', confirmedAt: '2026-12-03T09:00:00.000Z', headers, lastUsedAt: null });
    const again = saveMapping(db, {
      id: 'm2',
      mapping: { platform: 'meta', fields: { spend: 'Budget used (EUR)', clicks: 'Link clicks' } },
      signature: 'sig',
      headers,
      at: new Date('2026-12-04T09:00:00Z'),
    });
    expect(again.id).toBe('m1');
    expect(again.fields).toEqual({ spend: 'Budget used (EUR)', clicks: 'Link clicks' });
    saveMapping(db, {
      id: 'm3',
      mapping: { platform: 'google', fields: {} },
      signature: 'sig',
      headers,
      at: new Date('2026-12-04T10:00:00Z'),
    });
    expect(
      mappingsForSignature(db, 'sig')
        .map((m) => m.platform)
        .sort(),
    ).toEqual(['google', 'meta']);
    expect(findMapping(db, 'sig', 'tiktok')).toBeNull();
    expect(forgetMapping(db, 'm1')).toBe(true);
    expect(forgetMapping(db, 'm1')).toBe(false);
    expect(findMapping(db, 'sig', 'meta')).toBeNull();
  });

  it('refuses a platform the store does not know', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    expect(() =>
      db
        .prepare(
          "insert into column_mappings (id, platform, signature, headers_json, fields_json, confirmed_at) values ('x', 'snapchat', 's', '[]', '{}', 'now')",
        )
        .run(),
    ).toThrow(/CHECK constraint/);
  });
});
