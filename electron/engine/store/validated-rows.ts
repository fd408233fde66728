import type Database from 'better-sqlite3';
import type { RowValuesCallback } from '../validate/row-table.ts';

// Kept apart from validations.ts (and its zod schemas) so the recording thread starts quickly.

/**
 * A validation's valid rows, one call per row, into `validated_rows` (in the caller's transaction).
 * Rows may come before their validation (`insertValidation`) where foreign keys are deferred.
 */
export function validatedRowInserter(db: Database.Database, validationId: string): RowValuesCallback {
  const insertRow = db.prepare(
    `insert into validated_rows (validation_id, row_number, date, campaign_external_id, campaign_name,
       ad_set_external_id, ad_set_name, ad_external_id, ad_name, impressions, clicks, spend, conversions,
       conversion_value, currency)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (n, date, cid, cname, sid, sname, aid, aname, imp, clk, spend, conv, value, cur) => {
    insertRow.run(validationId, n, date, cid, cname, sid, sname, aid, aname, imp, clk, spend, conv, value, cur);
  };
}

/** Forgets the rows given so far for a validation not yet recorded (a new pass over its file replaces them). */
export function discardValidatedRows(db: Database.Database, validationId: string): void {
  db.prepare('delete from validated_rows where validation_id = ?').run(validationId);
}
