import type { Platform } from '../../../shared/canonical.ts';
import { FILE_LIMITS } from '../../../shared/errors.ts';
import type { ValidationIssue } from '../../../shared/report.ts';
import { MappingPass, type MappingOptions } from '../mapping/pass.ts';
import type { TextEncoding } from '../read/decode.ts';
import { composeRefusal, type FileProblem } from '../recognise/problems.ts';
import { knownHeaderCells, recogniseHeader, type ColumnRef, type Recognition, type Refusal } from '../recognise/recognise.ts';
import { RowChecks, isNoDataRow } from '../recognise/row-checks.ts';
import { summaryRowLabel, type EntityColumns } from '../recognise/summary-rows.ts';
import { readDate } from './dates.ts';
import type { MetricColumn } from './decimal-marks.ts';
import { FileEvidence, type FileDecisions } from './evidence.ts';
import type { DecimalMarkEvidence } from './numbers.ts';
import { LANGUAGE_NAMES } from '../recognise/aliases.ts';
import { RowMapper, type DateEntry } from './row-mapper.ts';
import type { RowTableListener } from './row-table.ts';
import { detach } from './text.ts';

const HEADER_SEARCH_RECORDS = 10;
/** More columns than any export has: refused before the header tables look at them. */
const MAX_COLUMNS = 1000;
/** Rows read before the per-file decisions are first taken. */
const SAMPLE_ROWS = 2000;
/** Skipped summary rows named in the warning (the count covers all). */
const SKIPPED_ROWS_NAMED = 8;
const NONE = -1;

/**
 * One streaming pass over a file's records: finds the header below any preamble, recognises the
 * export, skips summary and total rows, refuses what cannot be imported, and maps every data row.
 * The per-file decisions (decimal mark, day/month order, currency, rounded IDs) are taken from the
 * first rows, or given; the evidence of the whole file is gathered on the way, and `validateExport`
 * reads the file once more in the rare case the whole file decides differently from its start.
 */
export class ExportPass {
  readonly preamble: string[] = [];
  /** Problems found while reading (ragged or malformed rows). */
  readonly readIssues: ValidationIssue[] = [];
  readonly evidence = new FileEvidence();
  recognition: Recognition | null = null;
  refusal: Refusal | null = null;
  /** The platform, known even when the file is refused after recognition. */
  platform: Platform | null = null;
  headerRow: number | null = null;
  total = 0;
  skipped = 0;
  /** Rows rejected while reading (they never reach the mapper). */
  rejected = 0;
  mapper: RowMapper | null = null;
  decisions: FileDecisions | null;
  /** The column mapping's part: a given or saved mapping, its checks, the rows for a proposal. */
  readonly mapping: MappingPass;

  private encoding: TextEncoding = 'utf-8';
  private headerWidth = 0;
  headers: string[] = [];
  /** A given mapping this header refused: the next rows are read only for the proposal's samples. */
  private collecting = false;
  private readonly beforeHeader: { fields: string[]; row: number }[] = [];
  private entityColumns: EntityColumns = { platform: null, levels: [], dateIndex: null };
  /** The first skipped summary rows (row number, label), for the warning that says which were skipped. */
  private readonly skippedRows: { row: number; label: string }[] = [];
  private readonly metricCols: (MetricColumn & { evidence: DecimalMarkEvidence; money: boolean })[] = [];
  private idCols: [number, number, number] = [NONE, NONE, NONE];
  private dateCol = NONE;
  private currencyCol = NONE;
  private rangeCols: [number, number] | null = null;
  private readonly dates = new Map<string, DateEntry>();
  private lastDateCell = '';
  private lastDate: DateEntry | null = null;
  private readonly sample: { fields: string[]; row: number; date: DateEntry }[] = [];
  /** Characters of the sampled rows (cells and delimiters), to estimate the file's rows from its size. */
  private sampleChars = 0;
  /** The columns the mapper reads: a sample row keeps only these until it is mapped. */
  private mappedCols: number[] = [];
  private dataRows = 0;
  /** File-level checks that need the rows (breakdowns by values, whole-range rows, disagreeing copies). */
  private checks: RowChecks | null = null;
  /** Problems the header already showed: the rows are read only to find the rest. */
  private headerProblems: FileProblem[] = [];
  /** Reading rows only for the checks, mapping none (the file is refused whatever they hold). */
  private scanning = false;
  /** The recognition of a file the header refuses (for the checks, and for a file with no rows). */
  private provisional: Recognition | null = null;
  private noDataRows = 0;

  constructor(
    private readonly options: {
      platform?: Platform | undefined;
      decisions?: FileDecisions | undefined;
      mapping?: MappingOptions | undefined;
      /** Told of the valid rows as they are kept. */
      rows?: RowTableListener | undefined;
      /** The file's size in bytes, to estimate its rows from the first ones (room for the valid rows is taken once). */
      bytes?: number | undefined;
    },
  ) {
    this.decisions = options.decisions ?? null;
    this.mapping = new MappingPass(options.mapping ?? {}, options.platform);
  }

  /**
   * Whether the refusal can be answered with a column mapping (the report then carries a
   * proposal): a mapping error, or only header problems a mapping can solve (the platform, a day,
   * campaign or metric column not found); never a breakdown, whole-range rows or disagreeing copies.
   */
  get mappable(): boolean {
    if (this.refusal === null) return false;
    if (this.refusal.code === 'INVALID_MAPPING') return true;
    if (this.headerProblems.length === 0 || (this.checks?.problems.length ?? 0) > 0) return false;
    return this.headerProblems.every(
      (p) => p.kind === 'platform' || p.kind === 'notDaily' || p.kind === 'noCampaign' || p.kind === 'columns',
    );
  }

  setEncoding(encoding: TextEncoding): void {
    this.encoding = encoding;
  }

  /** `RecordSink` for `readCsvRecords`. */
  readonly onRecord = (fields: string[], row: number, malformed: string | null): boolean => {
    if (this.refusal !== null) return (this.collecting || this.scanning) && this.collectForProposal(fields);
    if (this.recognition !== null || this.scanning) return this.onDataRecord(fields, row, malformed);
    return this.onHeaderSearch(fields, row);
  };

  /** After the last record: tell every file-level problem, or take the decisions if the file was shorter than the sample. */
  finish(): void {
    if (this.recognition === null && this.refusal === null && !this.scanning) {
      const first = this.beforeHeader[0];
      if (!first) {
        this.refusal = { code: 'UNKNOWN_FORMAT', message: 'The file is empty: it has no header and no rows. Export the report again.' };
        return;
      }
      // Fewer than ten records and none looked like a header: recognition explains what it saw.
      this.useHeader(first.fields, first.row, []);
      for (const r of this.beforeHeader.slice(1))
        if (this.refusal === null && (this.recognition !== null || this.scanning)) this.onDataRecord(r.fields, r.row, null);
      if (this.collecting) for (const r of this.beforeHeader.slice(1)) this.collectForProposal(r.fields);
    }
    if (this.refusal !== null) return;
    if (this.dataRows === 0 && this.acceptEmpty()) return;
    this.conclude();
    if (this.recognition !== null && this.refusal === null) this.refuseMapping(this.mapping.verdict());
    if (this.recognition !== null && this.refusal === null && this.mapper === null) this.startMapping();
  }

  /** Refuses the file when the header or the rows showed a problem, naming all of them. */
  private conclude(): void {
    const problems = [...this.headerProblems, ...(this.checks?.problems ?? [])];
    if (problems.length > 0) this.refusal = composeRefusal(problems);
  }

  /**
   * A header with no rows (or Meta's single `No data available.` row) is an empty export, said
   * plainly as a warning, unless its header already shows it is not a daily campaign export.
   */
  private acceptEmpty(): boolean {
    const structural = this.headerProblems.some((p) => p.kind !== 'columns' && p.kind !== 'duplicate');
    const r = this.recognition ?? this.provisional;
    if (structural || r === null) return false;
    this.recognition = r;
    this.scanning = false;
    const what = this.noDataRows > 0 ? 'the platform wrote "No data available." instead of rows' : 'it has a header but no rows';
    this.readIssues.push({
      row: null,
      column: null,
      code: 'MISSING_COLUMN',
      severity: 'warning',
      message: `This export is empty: ${what}, so there is nothing to import. Check the date range and the filters of the report, then export it again.`,
    });
    this.startMapping();
    return true;
  }

  /** The decisions the whole file's evidence supports (compare with `decisions` to know if a second pass is needed). */
  finalDecisions(): FileDecisions {
    const r = this.recognition!;
    return this.evidence.decide({
      metricColumns: this.metricCols,
      // A language without a decimal comma writes a point (English, Japanese, Korean, …). A workbook's
      // numeric cells come as exact decimal text with a point (read/xlsx/cells.ts), whatever the language.
      language:
        this.encoding === 'xlsx'
          ? { mark: '.', name: 'workbook', exact: true }
          : { mark: r.decimalHint ?? '.', name: LANGUAGE_NAMES[r.language] },
      headerCurrency: r.headerCurrency,
      idColumns: { campaign: !r.matchByName.campaign, ad_set: !r.matchByName.ad_set, ad: !r.matchByName.ad },
    });
  }

  private onHeaderSearch(fields: string[], row: number): boolean {
    if (isBlankRecord(fields)) return true;
    if (fields.length > MAX_COLUMNS) {
      this.refusal = {
        code: 'UNKNOWN_FORMAT',
        message: `Row ${row} has ${fields.length.toLocaleString('en-US')} columns; no ad platform export has more than ${MAX_COLUMNS}. This is not a performance report: export a daily performance report as CSV from Meta Ads Manager, Google Ads or TikTok Ads Manager.`,
      };
      return false;
    }
    this.beforeHeader.push({ fields, row });
    if (knownHeaderCells(fields) >= 2) {
      const preamble = this.beforeHeader.slice(0, -1).map((r) =>
        r.fields
          .filter((f) => f.trim() !== '')
          .join(' ')
          .trim(),
      );
      this.useHeader(fields, row, preamble);
      return this.refusal === null || this.collecting;
    }
    if (this.beforeHeader.length >= HEADER_SEARCH_RECORDS) {
      const first = this.beforeHeader[0]!;
      this.useHeader(first.fields, first.row, []);
      // Recognition refuses a header no table knows two cells of; if --platform made sense of it
      // anyway, the records read so far are its first data rows.
      for (const r of this.beforeHeader.slice(1))
        if (this.refusal === null && (this.recognition !== null || this.scanning)) this.onDataRecord(r.fields, r.row, null);
      if (this.collecting) for (const r of this.beforeHeader.slice(1)) this.collectForProposal(r.fields);
      return this.refusal === null || this.collecting;
    }
    return true;
  }

  private useHeader(fields: string[], row: number, preamble: string[]): void {
    this.preamble.push(...preamble);
    this.headerRow = row;
    this.headers = fields;
    this.headerWidth = fields.length;
    const ctx = { preamble, encoding: this.encoding };
    const mapped = this.mapping.atHeader(fields, ctx);
    if ('code' in mapped) {
      this.platform = this.options.platform ?? null;
      this.refusal = mapped;
      this.collecting = true;
      return;
    }
    const result = recogniseHeader(fields, { ...ctx, platform: mapped.platform, mapping: mapped.columns });
    this.platform = result.ok ? result.recognition.platform : result.platform;
    if (!result.ok) {
      if (!result.pending) {
        this.refusal = result.refusal;
        return;
      }
      // Refused whatever the rows hold, but they still tell the rest (a breakdown, whole-range rows).
      this.headerProblems = result.pending.problems;
      this.provisional = result.pending.recognition;
      this.scanning = true;
      this.checks = new RowChecks(this.provisional, result.pending.segments, this.platform, fields);
      if (this.provisional) this.entityColumns = entityColumnsOf(this.provisional);
      return;
    }
    const r = result.recognition;
    this.recognition = r;
    this.checks = new RowChecks(r, r.segments, r.platform, fields);
    const c = r.columns;
    this.entityColumns = entityColumnsOf(r);
    // The metric columns the rows are read from (Results only where there is no Purchases column).
    for (const [ref, integer, money] of [
      [c.impressions, true, false],
      [c.clicks, true, false],
      [c.spend, false, true],
      [c.conversions, false, false],
      [c.conversion_value, false, true],
      [c.conversions ? undefined : c.results, false, false],
      [c.conversion_value ? undefined : c.results_value, false, true],
    ] as const) {
      if (ref)
        this.metricCols.push({ index: ref.index, header: ref.header, integer, money, evidence: this.evidence.decimal.column(ref.index) });
    }
    this.idCols = [c.campaign_id?.index ?? NONE, c.ad_set_id?.index ?? NONE, c.ad_id?.index ?? NONE];
    this.mappedCols = [...new Set(Object.values(c).map((ref) => ref.index))];
    this.dateCol = (r.dateFromRange ? c.range_start : c.date)?.index ?? NONE;
    this.currencyCol = c.currency?.index ?? NONE;
    this.rangeCols = r.dateFromRange ? [c.range_start!.index, c.range_end!.index] : null;
  }

  private onDataRecord(fields: string[], row: number, malformed: string | null): boolean {
    if (isBlankRecord(fields)) return true;
    if (isNoDataRow(fields)) {
      this.noDataRows++;
      return true;
    }
    this.total++;
    const summary = this.entityColumns.levels.length > 0 ? summaryRowLabel(fields, this.entityColumns) : null;
    if (summary !== null) {
      if (this.skipped++ < SKIPPED_ROWS_NAMED)
        this.skippedRows.push({ row, label: summary.length > 60 ? `${summary.slice(0, 57)}…` : summary });
      return true;
    }
    if (++this.dataRows > FILE_LIMITS.maxRowsPerUpload) {
      this.refusal = {
        code: 'TOO_MANY_ROWS',
        message: `This file has more than ${FILE_LIMITS.maxRowsPerUpload.toLocaleString('en-US')} data rows (row ${row} is one too many). Export a shorter date range and upload the parts one after another.`,
      };
      return false;
    }
    const mappingRefusal = this.mapping.observe(fields);
    if (!this.scanning && this.refuseMapping(mappingRefusal)) return false;
    const checks = this.checks!;
    if (!this.scanning) {
      checks.observe(fields, row);
      // A problem only the rows show: the file is refused, so stop mapping and read on only for the rest.
      if (checks.problems.length > 0) {
        this.scanning = true;
        this.sample.length = 0;
      }
    } else checks.observe(fields, row);
    if (this.scanning) {
      if (!checks.done) return true;
      this.conclude();
      // A refusal a mapping can answer: a few more rows for the proposal's samples.
      return this.mappable && this.mapping.wantsRows();
    }
    if (malformed !== null) return this.reject(row, malformed);
    if (fields.length !== this.headerWidth && !onlyEmptyExtras(fields, this.headerWidth)) {
      return this.reject(
        row,
        `This row has ${fields.length} cells but the header has ${this.headerWidth}, so its values cannot be matched to columns. The file may be cut off, or a cell contains an unquoted delimiter: export the file again, or fix the row in a text editor.`,
      );
    }
    // Once mapping, the mapper gives the metric cells to the decimal evidence as it reads them.
    const date = this.observe(fields, row, this.mapper === null);
    if (this.mapper !== null) {
      this.mapper.map(fields, row, date, true);
      return true;
    }
    this.sampleChars += recordChars(fields);
    this.sample.push({ fields: this.mappedCells(fields), row, date });
    if (this.decisions !== null || this.sample.length >= SAMPLE_ROWS) this.startMapping();
    return this.refusal === null;
  }

  /**
   * Gathers the whole file's evidence from one row (the same whatever the decisions are); the
   * metric cells' decimal evidence only with `decimals` (else the mapper gathers it: see `map`).
   */
  private observe(fields: string[], row: number, decimals: boolean): DateEntry {
    const ev = this.evidence;
    for (let k = 0; decimals && k < this.metricCols.length; k++) {
      const m = this.metricCols[k]!;
      const cell = fields[m.index];
      if (cell !== undefined && cell.length > 0) m.evidence.observe(cell, m.integer, row);
    }
    // Currencies written in money cells: observed on every row (the mapper does not), a cheap edge test first.
    for (let k = 0; k < this.metricCols.length; k++) {
      const m = this.metricCols[k]!;
      if (!m.money) continue;
      const cell = fields[m.index];
      if (cell !== undefined && cell.length > 0) ev.observeMoney(cell, row);
    }
    const [ci, si, ai] = this.idCols;
    if (ci !== NONE) ev.ids.campaign.observe(fields[ci] ?? '', row);
    if (si !== NONE) ev.ids.ad_set.observe(fields[si] ?? '', row);
    if (ai !== NONE) ev.ids.ad.observe(fields[ai] ?? '', row);
    if (this.currencyCol !== NONE) ev.observeCurrency(fields[this.currencyCol] ?? '');
    const cell = this.dateCol === NONE ? '' : (fields[this.dateCol] ?? '');
    // Rows come grouped by day: the date of the row before is the likeliest.
    if (cell === this.lastDateCell && this.lastDate !== null) return this.lastDate;
    let date = this.dates.get(cell);
    if (date === undefined) {
      const reading = readDate(cell);
      ev.dates.observe(reading);
      date = { reading, resolved: false, iso: null, problem: null };
      this.dates.set(detach(cell), date);
    }
    this.lastDateCell = detach(cell);
    this.lastDate = date;
    return date;
  }

  /** A confirmed mapping the values contradict: refused as a mapping error. */
  private refuseMapping(refusal: Refusal | null): boolean {
    if (refusal === null) return false;
    this.refusal = refusal;
    return true;
  }

  /** After a given mapping was refused at the header: the next few rows, for the proposal's samples. */
  private collectForProposal(fields: string[]): boolean {
    if (!isBlankRecord(fields)) this.mapping.observe(fields);
    return this.mapping.wantsRows();
  }

  private startMapping(): void {
    // The first pass checks the mapped columns' values; a second pass reads the same rows.
    if (this.options.decisions === undefined && this.refuseMapping(this.mapping.verdict())) return;
    this.decisions ??= this.finalDecisions();
    this.mapper = new RowMapper(
      this.recognition!,
      this.decisions,
      this.evidence.decimal,
      this.metricCols,
      this.options.rows ?? null,
      this.expectedRows(),
    );
    for (const s of this.sample) this.mapper.map(s.fields, s.row, s.date, false);
    this.sample.length = 0;
  }

  /**
   * The data rows a text file of this size has if its rows are as long as the sampled ones (cells and
   * delimiters; quotes and multi-byte characters make it a little more). Undefined for a workbook (its
   * size is compressed) or without a size or a sample.
   */
  private expectedRows(): number | undefined {
    const bytes = this.options.bytes;
    if (bytes === undefined || this.encoding === 'xlsx' || this.sample.length === 0 || this.sampleChars === 0) return undefined;
    return Math.min(FILE_LIMITS.maxRowsPerUpload, Math.ceil((bytes * this.sample.length) / this.sampleChars));
  }

  /**
   * A copy of a record with only the cells the mapper reads (the others left empty), so the
   * thousands of sample rows held until the decisions are taken do not keep every cell alive.
   */
  private mappedCells(fields: string[]): string[] {
    const kept = new Array<string>(fields.length).fill('');
    for (const i of this.mappedCols) if (i < fields.length) kept[i] = fields[i]!;
    return kept;
  }

  /** The warning that says which rows were skipped as the export's own summary and total rows. */
  summaryWarning(): ValidationIssue | null {
    if (this.skipped === 0) return null;
    const named = this.skippedRows.map((r) => `${r.row} (${r.label})`);
    const more = this.skipped - named.length;
    const list =
      more > 0
        ? `${named.join(', ')} and ${more} more`
        : named.length > 1
          ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`
          : named[0];
    const n = this.skipped === 1 ? '1 summary/total row' : `${this.skipped.toLocaleString('en-US')} summary/total rows`;
    return {
      row: null,
      column: null,
      code: 'SUMMARY_ROW',
      severity: 'warning',
      message: `Skipped ${n} that the export adds, not imported: row${this.skipped === 1 ? '' : 's'} ${list}. They repeat the totals of the other rows; importing them would count the same spend twice.`,
    };
  }

  private reject(row: number, message: string): boolean {
    this.rejected++;
    this.readIssues.push({ row, column: null, code: 'INVALID_VALUE', severity: 'error', message });
    return true;
  }
}

function entityColumnsOf(r: Recognition): EntityColumns {
  const c = r.columns;
  const levels: { name: ColumnRef | undefined; id: ColumnRef | undefined }[] = [];
  if (c.campaign_name || c.campaign_id) levels.push({ name: c.campaign_name, id: c.campaign_id });
  if (r.level !== 'campaign') levels.push({ name: c.ad_set_name, id: c.ad_set_id });
  if (r.level === 'ad') levels.push({ name: c.ad_name, id: c.ad_id });
  return { platform: r.platform, levels, dateIndex: (c.date ?? c.range_start)?.index ?? null };
}

/** A record's characters as written, but for quotes: its cells, the delimiters between them and a line ending. */
function recordChars(fields: string[]): number {
  let n = fields.length;
  for (let i = 0; i < fields.length; i++) n += fields[i]!.length;
  return n;
}

function isBlankRecord(fields: string[]): boolean {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length > 0 && (f.charCodeAt(0) > 32 || f.trim() !== '')) return false;
  }
  return true;
}

function onlyEmptyExtras(fields: string[], width: number): boolean {
  if (fields.length < width) return false;
  for (let i = width; i < fields.length; i++) if (fields[i]!.trim() !== '') return false;
  return true;
}
