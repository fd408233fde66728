import { basename } from 'node:path';
import type { Platform } from '../../../shared/canonical.ts';
import { isAppError, type ErrorCode } from '../../../shared/errors.ts';
import type { ValidateReport, ValidationIssue } from '../../../shared/report.ts';
import type { TextEncoding } from '../read/decode.ts';
import { checkFileSize, fileSize, readCsvRecords } from '../read/records.ts';
import type { Dialect } from '../read/sniff.ts';
import { ExportCollector } from './collect.ts';
import type { DateOrder } from './dates.ts';
import { mapRows, type ValidatedRow } from './map-rows.ts';
import type { DecimalMark } from './numbers.ts';

export type { ValidatedRow } from './map-rows.ts';

export interface ValidateOptions {
  /** `--platform`: skip detection. */
  platform?: Platform | undefined;
  /** The name shown in the report (default: the file's base name). */
  fileName?: string | undefined;
}

/** How the file was read: for messages, the UI and the audit log. */
export interface ReadFacts {
  encoding: TextEncoding | null;
  dialect: Dialect | null;
  decimalMark: DecimalMark | null;
  dateOrder: DateOrder | null;
  headerRow: number | null;
  /** Google's report title and date-range lines, as written. */
  preamble: string[];
}

export interface ValidationResult {
  report: ValidateReport;
  /** Valid canonical rows in file order (empty when the file is refused). */
  rows: ValidatedRow[];
  facts: ReadFacts;
}

const ZERO_TOTALS = { impressions: '0', clicks: '0', spend: '0', conversions: '0', conversionValue: '0' };

/**
 * Reads, recognises and validates one export, streaming: the file is never held whole. Never
 * throws for a bad file: a refusal is `report.refused`, row problems are `report.issues`.
 */
export async function validateExport(path: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const file = options.fileName ?? basename(path);
  const collector = new ExportCollector({ platform: options.platform });
  let bytes = 0;
  let sha256: string | null = null;
  const facts: ReadFacts = { encoding: null, dialect: null, decimalMark: null, dateOrder: null, headerRow: null, preamble: collector.preamble };
  try {
    bytes = await fileSize(path);
    checkFileSize(bytes);
    const summary = await readCsvRecords(path, collector.onRecord, (encoding) => {
      facts.encoding = encoding;
      collector.setEncoding(encoding);
    });
    bytes = summary.bytes;
    sha256 = summary.sha256;
    facts.dialect = summary.dialect;
    if (!summary.stopped) collector.finish();
  } catch (err) {
    if (!isAppError(err)) throw err;
    return { report: refusedReport(file, bytes, null, collector.platform, { code: err.code, message: err.message }), rows: [], facts };
  }
  facts.headerRow = collector.headerRow;
  if (collector.refusal || !collector.recognition) {
    const refusal = collector.refusal ?? { code: 'UNKNOWN_FORMAT' as const, message: 'The file could not be recognised.' };
    return { report: refusedReport(file, bytes, sha256, collector.platform, refusal), rows: [], facts };
  }
  const recognition = collector.recognition;
  const mapped = mapRows(collector, recognition);
  facts.decimalMark = mapped.decimalMark;
  facts.dateOrder = mapped.dateOrder;
  const report: ValidateReport = {
    file,
    bytes,
    sha256,
    platform: recognition.platform,
    level: recognition.level,
    currency: mapped.currency,
    rows: {
      total: collector.total,
      valid: mapped.rows.length,
      invalid: mapped.invalid,
      skipped: collector.skipped,
    },
    dateRange: mapped.dateRange,
    entities: mapped.entities,
    totals: mapped.totals,
    issues: sortIssues(mapped.issues),
    refused: null,
  };
  return { report, rows: mapped.rows, facts };
}

function refusedReport(
  file: string,
  bytes: number,
  sha256: string | null,
  platform: Platform | null,
  refused: { code: ErrorCode; message: string },
): ValidateReport {
  return {
    file,
    bytes,
    sha256,
    platform,
    level: null,
    currency: null,
    rows: { total: 0, valid: 0, invalid: 0, skipped: 0 },
    dateRange: null,
    entities: { campaigns: 0, adSets: 0, ads: 0 },
    totals: { ...ZERO_TOTALS },
    issues: [],
    refused,
  };
}

/** File-level issues first, then by row; stable within a row (column order of discovery). */
function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.row ?? 0) - (b.issue.row ?? 0) || a.i - b.i)
    .map((x) => x.issue);
}

/** `validate`'s exit code (cli.md): 0 no row errors, 1 rows have errors, 2 refused whole. */
export function exitCodeForReport(report: ValidateReport): 0 | 1 | 2 {
  if (report.refused) return 2;
  return report.rows.invalid > 0 ? 1 : 0;
}
