import Database from 'better-sqlite3';
import { migrate } from '../../electron/engine/store/migrate.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations/index.ts';

/** A store in memory at `version` of the local migrations (for a migration's own test). */
export function storeAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS, version);
  return db;
}

/** A validation row for validated rows to hang from (store version 1 and later). */
export function addValidation(db: Database.Database, id: string): void {
  db.prepare(
    `insert into validations (id, validated_at, file_path, file_name, bytes, sha256, platform, level, currency,
       rows_total, rows_valid, rows_invalid, rows_skipped, report_json)
     values (?, '2025-09-30T10:00:00.000Z', '/x/meta.csv', 'meta.csv', 10, ?, 'meta', 'ad', 'USD', 1, 1, 0, 0, '{}')`,
  ).run(id, 'a'.repeat(64));
}

/** Every column of the view `validated_rows`, in the order of version 1's table, by validation and row. */
export const EVERY_VALIDATED_ROW_COLUMN = `select validation_id, row_number, date, campaign_external_id, campaign_name, ad_set_external_id, ad_set_name,
    ad_external_id, ad_name, impressions, clicks, spend, conversions, conversion_value, currency
  from validated_rows order by validation_id, row_number`;
