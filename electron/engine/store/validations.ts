import type Database from 'better-sqlite3';
import type { CanonicalRow, Platform } from '../../../shared/canonical.ts';
import { ValidateReport, type ValidationIssue } from '../../../shared/report.ts';
import type { ValidatedRow } from '../validate/index.ts';
import { recordAuditEvent } from './audit.ts';
import { ValidatedRowWriter, type RowBatchSource } from './validated-rows.ts';

/** A validation as the store keeps it. */
export interface StoredValidation {
  id: string;
  validatedAt: string;
  filePath: string;
  report: ValidateReport;
}

export interface NewValidation {
  id: string;
  at: Date;
  filePath: string;
  report: ValidateReport;
  /** The valid rows: any iterable of them, or (faster, no object per row) their compact batches (a `RowTable`). */
  rows: Iterable<ValidatedRow> | RowBatchSource;
}

function isBatchSource(rows: Iterable<ValidatedRow> | RowBatchSource): rows is RowBatchSource {
  return typeof (rows as Partial<RowBatchSource>).batch === 'function';
}

/**
 * Records a validated file, its issues and its valid canonical rows, and the `validated` audit
 * event, in one transaction: either all of it is stored or none.
 */
export function recordValidation(db: Database.Database, v: NewValidation): void {
  db.transaction(() => {
    insertValidation(db, v);
    const writer = new ValidatedRowWriter(db, v.id);
    if (isBatchSource(v.rows)) writer.writeAll(v.rows);
    else writer.writeRows(v.rows);
  })();
}

/** A validated file and its issues, and the `validated` audit event (in the caller's transaction): all but its rows. */
export function insertValidation(db: Database.Database, v: Omit<NewValidation, 'rows'>): void {
  const r = v.report;
  db.prepare(
    `insert into validations (id, validated_at, file_path, file_name, bytes, sha256, platform, level, currency,
       rows_total, rows_valid, rows_invalid, rows_skipped, date_from, date_to, refused_code, refused_message, report_json)
     values (@id, @at, @filePath, @file, @bytes, @sha256, @platform, @level, @currency,
       @total, @valid, @invalid, @skipped, @from, @to, @refusedCode, @refusedMessage, @reportJson)`,
  ).run({
    id: v.id,
    at: v.at.toISOString(),
    filePath: v.filePath,
    file: r.file,
    bytes: r.bytes,
    sha256: r.sha256,
    platform: r.platform,
    level: r.level,
    currency: r.currency,
    total: r.rows.total,
    valid: r.rows.valid,
    invalid: r.rows.invalid,
    skipped: r.rows.skipped,
    from: r.dateRange?.from ?? null,
    to: r.dateRange?.to ?? null,
    refusedCode: r.refused?.code ?? null,
    refusedMessage: r.refused?.message ?? null,
    reportJson: JSON.stringify({ ...r, issues: [] }),
  });
  const insertIssue = db.prepare(
    `insert into validation_issues (validation_id, seq, row_number, column_header, code, severity, message)
     values (?, ?, ?, ?, ?, ?, ?)`,
  );
  r.issues.forEach((i, seq) => insertIssue.run(v.id, seq, i.row, i.column, i.code, i.severity, i.message));
  recordAuditEvent(db, {
    at: v.at,
    kind: 'validated',
    subjectId: v.id,
    detail: {
      file: r.file,
      path: v.filePath,
      sha256: r.sha256,
      platform: r.platform,
      rows: r.rows,
      refused: r.refused,
      mapped: r.mapped ?? null,
      errors: r.issues.filter((i) => i.severity === 'error').length,
      warnings: r.issues.filter((i) => i.severity === 'warning').length,
    },
  });
}

interface ValidationRecord {
  id: string;
  validated_at: string;
  file_path: string;
  report_json: string;
}

function fromRecord(db: Database.Database, r: ValidationRecord): StoredValidation {
  const report = ValidateReport.parse({ ...(JSON.parse(r.report_json) as object), issues: validationIssues(db, r.id) });
  return { id: r.id, validatedAt: r.validated_at, filePath: r.file_path, report };
}

export function getValidation(db: Database.Database, id: string): StoredValidation | null {
  const r = db.prepare('select id, validated_at, file_path, report_json from validations where id = ?').get(id) as
    ValidationRecord | undefined;
  return r ? fromRecord(db, r) : null;
}

/** The newest validation of this file content, if any. */
export function latestValidationFor(db: Database.Database, sha256: string): StoredValidation | null {
  const r = db
    .prepare(
      `select id, validated_at, file_path, report_json from validations where sha256 = ?
       order by validated_at desc, rowid desc limit 1`,
    )
    .get(sha256) as ValidationRecord | undefined;
  return r ? fromRecord(db, r) : null;
}

/** Newest first, without issues (the list is for overviews); `getValidation` has them. */
export function listValidations(
  db: Database.Database,
  opts: { limit?: number; platform?: Platform | undefined; from?: string | undefined; to?: string | undefined } = {},
): StoredValidation[] {
  // Filtered before the limit: an old validation is found however many came after it.
  const rows = db
    .prepare(
      `select id, validated_at, file_path, report_json from validations
        where (@platform is null or platform = @platform)
          and (@from is null or substr(validated_at, 1, 10) >= @from)
          and (@to is null or substr(validated_at, 1, 10) <= @to)
        order by validated_at desc, rowid desc limit @limit`,
    )
    .all({ platform: opts.platform ?? null, from: opts.from ?? null, to: opts.to ?? null, limit: opts.limit ?? 50 }) as ValidationRecord[];
  return rows.map((r) => ({
    id: r.id,
    validatedAt: r.validated_at,
    filePath: r.file_path,
    report: ValidateReport.parse(JSON.parse(r.report_json)),
  }));
}

export function validationIssues(db: Database.Database, id: string): ValidationIssue[] {
  const rows = db
    .prepare(
      `select row_number, column_header, code, severity, message from validation_issues
       where validation_id = ? order by seq`,
    )
    .all(id) as Array<{
    row_number: number | null;
    column_header: string | null;
    code: ValidationIssue['code'];
    severity: ValidationIssue['severity'];
    message: string;
  }>;
  return rows.map((r) => ({ row: r.row_number, column: r.column_header, code: r.code, severity: r.severity, message: r.message }));
}

interface RowRecord {
  row_number: number;
  date: string;
  campaign_external_id: string;
  campaign_name: string;
  ad_set_external_id: string | null;
  ad_set_name: string | null;
  ad_external_id: string | null;
  ad_name: string | null;
  impressions: string;
  clicks: string;
  spend: string;
  conversions: string;
  conversion_value: string;
  currency: string | null;
}

/** The valid canonical rows of a validation, in file order, exactly as validated. */
export function validatedRows(db: Database.Database, id: string): ValidatedRow[] {
  const rows = db
    .prepare(
      `select row_number, date, campaign_external_id, campaign_name, ad_set_external_id, ad_set_name, ad_external_id,
         ad_name, impressions, clicks, spend, conversions, conversion_value, currency
       from validated_rows where validation_id = ? order by row_number`,
    )
    .all(id) as RowRecord[];
  return rows.map(toValidatedRow);
}

/**
 * Rows `offset` … `offset + limit - 1` of a validation in row-number order: an upload reads a batch at a time.
 * The rows skipped are counted in `validated_facts` alone, and only the page is joined with its
 * entities (through the view, every skipped row would be joined too: a 100,000-row upload read its
 * pages in 2.0 s instead of 0.5 s).
 */
export function validatedRowsPage(db: Database.Database, id: string, offset: number, limit: number): ValidatedRow[] {
  const rows = db
    .prepare(
      `with page as (
         select f.* from validated_fact_texts f join validation_row_sets s on s.key = f.row_set
          where s.validation_id = ? order by f.row_number limit ? offset ?)
       select p.row_number, p.date, e.campaign_external_id, e.campaign_name, e.ad_set_external_id, e.ad_set_name, e.ad_external_id,
         e.ad_name, p.impressions, p.clicks, p.spend, p.conversions, p.conversion_value, p.currency
       from page p join validated_entities e on e.row_set = p.row_set and e.number = p.entity order by p.row_number`,
    )
    .all(id, limit, offset) as RowRecord[];
  return rows.map(toValidatedRow);
}

export function validatedRowCount(db: Database.Database, id: string): number {
  return (db.prepare('select count(*) as n from validated_rows where validation_id = ?').get(id) as { n: number }).n;
}

function toValidatedRow(r: RowRecord): ValidatedRow {
  const row: Record<string, string> = { date: r.date, campaign_external_id: r.campaign_external_id, campaign_name: r.campaign_name };
  if (r.ad_set_external_id !== null && r.ad_set_name !== null) {
    row.ad_set_external_id = r.ad_set_external_id;
    row.ad_set_name = r.ad_set_name;
  }
  if (r.ad_external_id !== null && r.ad_name !== null) {
    row.ad_external_id = r.ad_external_id;
    row.ad_name = r.ad_name;
  }
  row.impressions = r.impressions;
  row.clicks = r.clicks;
  row.spend = r.spend;
  row.conversions = r.conversions;
  row.conversion_value = r.conversion_value;
  if (r.currency !== null) row.currency = r.currency;
  // Rows were checked on the way in; the type is asserted here, not re-parsed per row.
  return { rowNumber: r.row_number, row: row as CanonicalRow };
}
