import { basename } from 'node:path';
import type { Platform } from '../../../shared/canonical.ts';
import { AppError, isAppError, type ErrorCode } from '../../../shared/errors.ts';
import type { ReadInfo, ValidateReport, ValidationIssue, WorkbookFacts } from '../../../shared/report.ts';
import type { MappingOptions } from '../mapping/pass.ts';
import type { TextEncoding } from '../read/decode.ts';
import { hashFile, type FileHashing } from '../read/hash.ts';
import { checkFileSize, fileSize } from '../read/records.ts';
import type { Dialect } from '../read/sniff.ts';
import type { DateOrder } from './dates.ts';
import { sameDecisions, type FileDecisions } from './evidence.ts';
import { ExportPass } from './export-pass.ts';
import type { DecimalMark } from './numbers.ts';
import { RowTable, type RowTableListener, type ValidatedRow } from './row-table.ts';
import { csvSource, fileKind, type RecordSource } from './source.ts';
import type { ValidateEntry } from './archive.ts';

export type { ValidatedRow } from './row-table.ts';
export { RowTable, type RowTableListener } from './row-table.ts';

export interface ValidateOptions {
  /** `--platform`: skip detection. */
  platform?: Platform | undefined;
  /** The name shown in the report (default: the file's base name). */
  fileName?: string | undefined;
  /** A column mapping confirmed now (columns the person placed), and how to find one confirmed earlier. */
  mapping?: MappingOptions | undefined;
  /** The time a mapping confirmed now is dated (default: now). */
  now?: (() => Date) | undefined;
  /**
   * How each file inside a .zip of exports is validated (default: `validateExport`, recording
   * nothing); the engine passes its own `validateFile`, so each file is recorded on its own.
   */
  validateEntry?: ValidateEntry | undefined;
  /**
   * Told of the valid rows while the file is read (the engine records them on another thread
   * meanwhile); each pass over the file opens a new table, whose rows replace the earlier ones.
   */
  rows?: RowsListener | undefined;
}

/** A listener of the rows that also hears the file's size before reading starts (once, if it can be read). */
export interface RowsListener extends RowTableListener {
  fileSized?(bytes: number): void;
  /** Hashes the file on the listener's own thread, when it has one running; null: the reader hashes it. */
  hashFile?(path: string): FileHashing | null;
}

/** How the file was read: for messages, the UI and the audit log. */
export interface ReadFacts {
  /** `xlsx` for a workbook. */
  encoding: TextEncoding | null;
  /** The workbook's sheet that was read (null for a text file). */
  workbook: WorkbookFacts | null;
  dialect: Dialect | null;
  decimalMark: DecimalMark | null;
  dateOrder: DateOrder | null;
  headerRow: number | null;
  /** Google's report title and date-range lines, as written. */
  preamble: string[];
  /** 2 when the whole file decided differently from its first rows and was read again. */
  passes: number;
  /** The normalised header signature (what a confirmed mapping is saved under), once the header is found. */
  headerSignature: string | null;
  /** The header as written. */
  headers: string[];
  /** `--platform` decided a header that names no single platform: worth saving as a mapping. */
  platformChosen: boolean;
}

export interface ValidationResult {
  report: ValidateReport;
  /** Valid canonical rows in file order (empty when the file is refused); built on first use from `table`. */
  readonly rows: ValidatedRow[];
  /** The same rows, compact (iterate it to avoid building them all at once). */
  table: RowTable;
  facts: ReadFacts;
}

const ZERO_TOTALS = { impressions: '0', clicks: '0', spend: '0', conversions: '0', conversionValue: '0' };

/** What is known of a file before any of it is read. */
function nothingRead(): ReadFacts {
  return {
    encoding: null,
    workbook: null,
    dialect: null,
    decimalMark: null,
    dateOrder: null,
    headerRow: null,
    preamble: [],
    passes: 0,
    headerSignature: null,
    headers: [],
    platformChosen: false,
  };
}

/**
 * Reads, recognises and validates one export, streaming: the file is never held whole, and its
 * SHA-256 is computed on a worker thread meanwhile. Never throws for a bad file: a refusal is
 * `report.refused`, row problems are `report.issues`.
 */
export async function validateExport(path: string, options: ValidateOptions = {}): Promise<ValidationResult> {
  const file = options.fileName ?? basename(path);
  const facts = nothingRead();
  let bytes = 0;
  try {
    bytes = await fileSize(path);
    checkFileSize(bytes);
    options.rows?.fileSized?.(bytes);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return result(refusedReport(file, bytes, null, null, err, facts), new RowTable('campaign', null), facts);
  }

  let source: RecordSource;
  try {
    const kind = await fileKind(path);
    if (kind === 'zip') {
      const validateEntry = options.validateEntry ?? ((p, o) => validateExport(p, { platform: options.platform, fileName: o.fileName }));
      const { validateArchive } = await import('./archive.ts');
      return result(await validateArchive(path, file, bytes, validateEntry), new RowTable('campaign', null), facts);
    }
    source = kind === 'xlsx' ? await (await import('./workbook-source.ts')).xlsxSource(path, bytes) : csvSource(path);
  } catch (err) {
    if (!isAppError(err)) throw err;
    return result(refusedReport(file, bytes, null, null, err, facts), new RowTable('campaign', null), facts);
  }
  try {
    return await validateSource(source, path, file, bytes, options, facts);
  } finally {
    source.close();
  }
}

async function validateSource(
  source: RecordSource,
  path: string,
  file: string,
  bytes: number,
  options: ValidateOptions,
  facts: ReadFacts,
): Promise<ValidationResult> {
  const hashing = options.rows?.hashFile?.(path) ?? hashFile(path, bytes);
  let pass = await runPass(source, options, undefined, facts, bytes);
  if (pass.error === null && !pass.refusal && pass.recognition && pass.decisions) {
    const final = pass.finalDecisions();
    if (!sameDecisions(final, pass.decisions!)) pass = await runPass(source, options, final, facts, bytes);
  }
  if (pass.error !== null || pass.refusal || !pass.recognition || !pass.mapper) {
    hashing.cancel();
    const refusal = pass.error ??
      pass.refusal ?? {
        code: 'UNKNOWN_FORMAT' as const,
        message:
          'metricdrop found no header row in this file. Export a daily performance report as CSV from Meta Ads Manager, Google Ads or TikTok Ads Manager.',
      };
    const report = refusedReport(file, bytes, null, pass.platform, refusal, facts);
    const proposal = pass.error === null && pass.mappable ? pass.mapping.proposal(pass.headerRow, pass.platform) : null;
    if (proposal) report.mapping = proposal;
    return result(report, new RowTable('campaign', null), facts);
  }
  const hash = await hashing.result.catch((err: unknown) => {
    throw new AppError('INVALID_INPUT', `Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}.`);
  });
  if (hash.bytes !== pass.bytes) {
    const changed = {
      code: 'INVALID_INPUT' as const,
      message: 'The file changed while it was being read. Wait until it is fully saved, then try again.',
    };
    return result(refusedReport(file, bytes, null, pass.platform, changed, facts), new RowTable('campaign', null), facts);
  }

  const mapper = pass.mapper;
  const mapped = mapper.result();
  facts.decimalMark = pass.decisions!.decimalMark;
  facts.dateOrder = pass.decisions!.dateOrder;
  const recognition = pass.recognition;
  const report: ValidateReport = {
    file,
    bytes,
    sha256: hash.sha256,
    platform: recognition.platform,
    level: recognition.level,
    currency: pass.decisions!.currency,
    rows: {
      total: pass.total,
      valid: mapped.rows.length,
      invalid: mapped.invalid + pass.rejected,
      skipped: pass.skipped,
    },
    dateRange: mapped.dateRange,
    entities: mapped.entities,
    totals: mapped.totals,
    issues: sortIssues([
      ...source.warnings,
      ...recognition.warnings,
      ...mapper.warnings(pass.evidence),
      ...[pass.summaryWarning()].filter((w) => w !== null),
      ...pass.readIssues,
      ...mapper.issues,
    ]),
    refused: null,
    read: readInfo(facts),
  };
  const applied = pass.mapping.appliedReport((options.now ?? (() => new Date()))());
  if (applied) report.mapped = applied;
  return result(report, mapped.rows, facts);
}

function result(report: ValidateReport, table: RowTable, facts: ReadFacts): ValidationResult {
  let rows: ValidatedRow[] | null = null;
  return {
    report,
    table,
    facts,
    get rows() {
      return (rows ??= table.toArray());
    },
  };
}

type Pass = ExportPass & { bytes: number; error: { code: ErrorCode; message: string } | null };

async function runPass(
  source: RecordSource,
  options: ValidateOptions,
  decisions: FileDecisions | undefined,
  facts: ReadFacts,
  /** The file's size (the pass estimates its rows from it). */
  bytes: number,
): Promise<Pass> {
  const pass = Object.assign(
    new ExportPass({ platform: options.platform, decisions, mapping: options.mapping, rows: options.rows, bytes }),
    {
      bytes: 0,
      error: null,
    },
  ) as Pass;
  facts.passes++;
  try {
    const summary = await source.read(pass.onRecord, (encoding) => {
      facts.encoding = encoding;
      pass.setEncoding(encoding);
    });
    pass.bytes = summary.bytes;
    facts.dialect = summary.dialect;
    if (!summary.stopped) pass.finish();
  } catch (err) {
    if (!isAppError(err)) throw err;
    pass.error = { code: err.code, message: err.message };
  }
  facts.headerRow = pass.headerRow;
  facts.preamble = pass.preamble;
  facts.headerSignature = pass.mapping.signature;
  facts.headers = [...pass.headers];
  facts.platformChosen = pass.mapping.platformChosen;
  facts.workbook = source.workbookFacts(pass.headerRow);
  return pass;
}

/**
 * The report of a file that was not read, refused as `refused` says (an upload that stopped before
 * reading whose file has changed since, for example).
 */
export function unreadReport(file: string, bytes: number, refused: { code: ErrorCode; message: string }): ValidateReport {
  const facts = nothingRead();
  return refusedReport(file, bytes, null, null, refused, facts);
}

function refusedReport(
  file: string,
  bytes: number,
  sha256: string | null,
  platform: Platform | null,
  refused: { code: ErrorCode; message: string; problems?: { code: ErrorCode; message: string; columns?: string[] }[] },
  facts: ReadFacts,
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
    refused: refused.problems
      ? { code: refused.code, message: refused.message, problems: refused.problems }
      : { code: refused.code, message: refused.message },
    read: readInfo(facts),
  };
}

function readInfo(facts: ReadFacts): ReadInfo {
  return { encoding: facts.encoding, workbook: facts.workbook };
}

/** File-level issues first, then by row; stable within a row (column order of discovery). */
function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => (a.issue.row ?? 0) - (b.issue.row ?? 0) || a.i - b.i)
    .map((x) => x.issue);
}

/**
 * `validate`'s exit code (docs/cli.md): 0 no row errors, 1 rows have errors, 2 refused whole; for a .zip
 * of exports the worst of its files'.
 */
export function exitCodeForReport(report: ValidateReport): 0 | 1 | 2 {
  if (report.refused) return 2;
  let code: 0 | 1 | 2 = report.rows.invalid > 0 ? 1 : 0;
  for (const entry of report.entries ?? []) code = Math.max(code, exitCodeForReport(entry)) as 0 | 1 | 2;
  return code;
}
