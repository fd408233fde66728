import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';

function at001(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, 1);
  return db;
}

const validation = {
  id: 'v1',
  at: '2025-09-30T10:00:00.000Z',
  path: '/x/meta.csv',
  file: 'meta.csv',
  bytes: 10,
  sha: 'a'.repeat(64),
};
function insertValidation(db: Database.Database, over: Partial<Record<string, unknown>> = {}) {
  const v = { ...validation, ...over };
  db.prepare(
    `insert into validations (id, validated_at, file_path, file_name, bytes, sha256, platform, level, currency,
       rows_total, rows_valid, rows_invalid, rows_skipped, report_json)
     values (@id, @at, @path, @file, @bytes, @sha, 'meta', 'ad', 'USD', 1, 1, 0, 0, '{}')`,
  ).run(v);
}

describe('migration 001: validations, issues, rows, audit events', () => {
  it('creates the four tables at user_version 1', () => {
    const db = at001();
    const tables = db.prepare("select name from sqlite_master where type = 'table' order by name").pluck().all();
    expect(tables).toEqual(['audit_events', 'validated_rows', 'validation_issues', 'validations']);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    const columns = db.prepare("select name from pragma_table_info('validated_rows')").pluck().all();
    expect(columns).toEqual([
      'validation_id',
      'row_number',
      'date',
      'campaign_external_id',
      'campaign_name',
      'ad_set_external_id',
      'ad_set_name',
      'ad_external_id',
      'ad_name',
      'impressions',
      'clicks',
      'spend',
      'conversions',
      'conversion_value',
      'currency',
    ]);
  });

  it('checks what it can: platform, level, severity, sha256 length, one row number per validation', () => {
    const db = at001();
    expect(() => insertValidation(db, { sha: 'short' })).toThrow(/CHECK/);
    insertValidation(db);
    expect(() => db.prepare("update validations set platform = 'bing'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("update validations set level = 'adset'").run()).toThrow(/CHECK/);
    const issue = db.prepare("insert into validation_issues values ('v1', ?, 2, 'Day', 'INVALID_VALUE', ?, 'm')");
    issue.run(0, 'error');
    expect(() => issue.run(1, 'info')).toThrow(/CHECK/);
    const row = db.prepare(
      "insert into validated_rows values ('v1', ?, '2025-09-01', 'c', 'C', null, null, null, null, '1', '1', '1', '0', '0', 'USD')",
    );
    row.run(3);
    expect(() => row.run(3)).toThrow(/UNIQUE|PRIMARY/);
    expect(() =>
      db
        .prepare(
          "insert into validated_rows values ('nope', 1, '2025-09-01', 'c', 'C', null, null, null, null, '1', '1', '1', '0', '0', null)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('deleting a validation deletes its issues and rows', () => {
    const db = at001();
    insertValidation(db);
    db.prepare("insert into validation_issues values ('v1', 0, null, null, 'MISSING_COLUMN', 'warning', 'm')").run();
    db.prepare(
      "insert into validated_rows values ('v1', 2, '2025-09-01', 'c', 'C', null, null, null, null, '1', '1', '1', '0', '0', null)",
    ).run();
    db.prepare("delete from validations where id = 'v1'").run();
    expect(db.prepare('select (select count(*) from validation_issues) + (select count(*) from validated_rows)').pluck().get()).toBe(0);
  });

  it('the lookups the app makes use indexes', () => {
    const db = at001();
    const plan = (sql: string) =>
      db
        .prepare(`explain query plan ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    expect(plan("select id from validations where sha256 = 'x' order by validated_at desc limit 1")).toMatch(
      /USING (COVERING )?INDEX validations_by_sha256/,
    );
    expect(plan('select id from validations order by validated_at desc limit 5')).toMatch(/validations_by_time/);
    expect(plan("select * from validated_rows where validation_id = 'v1' order by row_number")).toMatch(
      /USING PRIMARY KEY \(validation_id=\?\)/,
    );
    expect(plan("select * from validation_issues where validation_id = 'v1' order by seq")).toMatch(
      /USING PRIMARY KEY \(validation_id=\?\)/,
    );
    expect(plan('select * from audit_events order by at desc limit 10')).toMatch(/audit_events_by_time/);
  });
});
