import type { Platform } from '../../../shared/canonical.ts';
import { FILE_LIMITS } from '../../../shared/errors.ts';
import type { ValidationIssue } from '../../../shared/report.ts';
import type { TextEncoding } from '../read/decode.ts';
import type { Field } from '../recognise/aliases.ts';
import { AgeValueWatch, breakdownMessage } from '../recognise/breakdowns.ts';
import {
  aggregatedRangeMessage,
  knownHeaderCells,
  recogniseHeader,
  type ColumnRef,
  type Recognition,
  type Refusal,
} from '../recognise/recognise.ts';
import { isSummaryRow, type EntityColumns } from '../recognise/summary-rows.ts';
import { DateOrderEvidence, readDate, type DateReading } from './dates.ts';
import { IdColumnWatch } from './ids.ts';
import { DecimalMarkEvidence } from './numbers.ts';

/** The cells of one data row the canonical row is built from, as written ('' where absent). */
export interface RawRow {
  row: number;
  date: string;
  campaignName: string;
  campaignId: string;
  adSetName: string;
  adSetId: string;
  adName: string;
  adId: string;
  impressions: string;
  clicks: string;
  spend: string;
  conversions: string;
  conversionValue: string;
  results: string;
  resultIndicator: string;
  resultsValue: string;
  resultValueIndicator: string;
  currency: string;
}

const HEADER_SEARCH_RECORDS = 10;
const AGE_WATCH_ROWS = 200;

/**
 * The streaming pass: finds the header below any preamble, recognises the export, then keeps the
 * few cells of each data row it needs (not the row), skips summary rows, and gathers the evidence
 * the per-file decisions need (decimal mark, day/month order, Excel-damaged IDs). Feed it to
 * `readCsvRecords`; it asks to stop at the first refusal.
 */
export class ExportCollector {
  readonly preamble: string[] = [];
  readonly rows: RawRow[] = [];
  /** Problems found while reading (ragged or malformed rows). */
  readonly issues: ValidationIssue[] = [];
  recognition: Recognition | null = null;
  refusal: Refusal | null = null;
  /** Platform known even when the file is refused (for the report). */
  platform: Platform | null = null;
  headerRow: number | null = null;
  total = 0;
  skipped = 0;
  /** Rows rejected while reading (they never reach `rows`). */
  rejected = 0;
  readonly decimalEvidence = new DecimalMarkEvidence();
  readonly dateEvidence = new DateOrderEvidence();
  readonly dateReadings = new Map<string, DateReading>();
  readonly idWatch = { campaign: new IdColumnWatch(), adSet: new IdColumnWatch(), ad: new IdColumnWatch() };

  private encoding: TextEncoding = 'utf-8';
  private headerWidth = 0;
  private headers: string[] = [];
  private nonBlankBeforeHeader: { fields: string[]; row: number }[] = [];
  private entityColumns: EntityColumns = { levels: [], dateIndex: null };
  private index: Partial<Record<Field, number>> = {};
  private readonly interned = new Map<string, string>();
  private readonly ageWatch = new AgeValueWatch();

  constructor(private readonly options: { platform?: Platform | undefined }) {}

  setEncoding(encoding: TextEncoding): void {
    this.encoding = encoding;
  }

  /** `RecordSink` for `readCsvRecords`. */
  readonly onRecord = (fields: string[], row: number, malformed: string | null): boolean => {
    if (this.recognition) return this.onDataRecord(fields, row, malformed);
    if (this.refusal) return false;
    return this.onHeaderSearch(fields, row);
  };

  /** Called after the last record: a file that ended before its header is refused. */
  finish(): void {
    if (this.recognition || this.refusal) return;
    const first = this.nonBlankBeforeHeader[0];
    if (!first) {
      this.refusal = { code: 'UNKNOWN_FORMAT', message: 'The file is empty: it has no header and no rows. Export the report again.' };
      return;
    }
    // Fewer than ten records and none looked like a header: recognition explains what it saw.
    this.useHeader(first.fields, first.row, []);
    for (const r of this.nonBlankBeforeHeader.slice(1)) if (this.recognition && !this.refusal) this.onDataRecord(r.fields, r.row, null);
  }

  private onHeaderSearch(fields: string[], row: number): boolean {
    if (isBlankRecord(fields)) return true;
    this.nonBlankBeforeHeader.push({ fields, row });
    if (knownHeaderCells(fields) >= 2) {
      const preamble = this.nonBlankBeforeHeader.slice(0, -1).map((r) => r.fields.filter((f) => f.trim() !== '').join(' ').trim());
      this.useHeader(fields, row, preamble);
      return this.refusal === null;
    }
    if (this.nonBlankBeforeHeader.length >= HEADER_SEARCH_RECORDS) {
      const first = this.nonBlankBeforeHeader[0]!;
      this.useHeader(first.fields, first.row, []);
      // A header no platform table knows two cells of is refused by recognition; if --platform
      // made sense of it anyway, the ten records read so far are its first data rows.
      if (this.recognition) for (const r of this.nonBlankBeforeHeader.slice(1)) this.onDataRecord(r.fields, r.row, null);
      return this.refusal === null;
    }
    return true;
  }

  private useHeader(fields: string[], row: number, preamble: string[]): void {
    this.preamble.push(...preamble);
    this.headerRow = row;
    this.headers = fields;
    this.headerWidth = fields.length;
    const result = recogniseHeader(fields, { platform: this.options.platform, preamble, encoding: this.encoding });
    if (!result.ok) {
      this.refusal = result.refusal;
      this.platform = result.platform;
      return;
    }
    const r = result.recognition;
    this.recognition = r;
    this.platform = r.platform;
    const c = r.columns;
    for (const [field, ref] of Object.entries(c) as [Field, ColumnRef][]) this.index[field] = ref.index;
    const levels: { name: ColumnRef | undefined; id: ColumnRef | undefined }[] = [{ name: c.campaignName, id: c.campaignId }];
    if (r.level !== 'campaign') levels.push({ name: c.adSetName, id: c.adSetId });
    if (r.level === 'ad') levels.push({ name: c.adName, id: c.adId });
    this.entityColumns = { levels, dateIndex: (c.date ?? c.rangeStart)?.index ?? null };
  }

  private onDataRecord(fields: string[], row: number, malformed: string | null): boolean {
    if (isBlankRecord(fields)) return true;
    this.total++;
    if (isSummaryRow(fields, this.entityColumns)) {
      this.skipped++;
      return true;
    }
    if (this.total - this.skipped > FILE_LIMITS.maxRowsPerUpload) {
      this.refusal = {
        code: 'TOO_MANY_ROWS',
        message: `This file has more than ${FILE_LIMITS.maxRowsPerUpload.toLocaleString('en-US')} data rows (row ${row} is one too many). Export a shorter date range and upload the parts one after another.`,
      };
      return false;
    }
    if (malformed !== null) return this.reject(row, malformed);
    if (fields.length !== this.headerWidth && !onlyEmptyExtras(fields, this.headerWidth)) {
      return this.reject(
        row,
        `This row has ${fields.length} cells but the header has ${this.headerWidth}, so its values cannot be matched to columns. The file may be cut off, or a cell contains an unquoted delimiter.`,
      );
    }
    return this.keep(fields, row);
  }

  private reject(row: number, message: string): boolean {
    this.rejected++;
    this.issues.push({ row, column: null, code: 'INVALID_VALUE', severity: 'error', message });
    return true;
  }

  private keep(fields: string[], row: number): boolean {
    const x = this.index;
    const cell = (f: Field): string => {
      const i = x[f];
      return i === undefined ? '' : (fields[i] ?? '');
    };
    const r = this.recognition!;
    if (r.dateFromRange) {
      const from = cell('rangeStart').trim();
      const to = cell('rangeEnd').trim();
      if (from !== to) {
        this.refusal = { code: 'MISSING_COLUMN', message: aggregatedRangeMessage(from, to, row) };
        return false;
      }
    }
    const raw: RawRow = {
      row,
      date: this.observeDate(cell(r.dateFromRange ? 'rangeStart' : 'date')),
      campaignName: this.intern(cell('campaignName')),
      campaignId: this.intern(cell('campaignId')),
      adSetName: this.intern(cell('adSetName')),
      adSetId: this.intern(cell('adSetId')),
      adName: this.intern(cell('adName')),
      adId: this.intern(cell('adId')),
      impressions: this.observeNumber(cell('impressions'), true, row),
      clicks: this.observeNumber(cell('clicks'), true, row),
      spend: this.observeNumber(cell('spend'), false, row),
      conversions: this.observeNumber(cell('conversions'), false, row),
      conversionValue: this.observeNumber(cell('conversionValue'), false, row),
      results: this.observeNumber(cell('results'), false, row),
      resultIndicator: this.intern(cell('resultIndicator')),
      resultsValue: this.observeNumber(cell('resultsValue'), false, row),
      resultValueIndicator: this.intern(cell('resultValueIndicator')),
      currency: this.intern(cell('currency')),
    };
    if (raw.campaignId !== '') this.idWatch.campaign.observe(raw.campaignId, row);
    if (raw.adSetId !== '') this.idWatch.adSet.observe(raw.adSetId, row);
    if (raw.adId !== '') this.idWatch.ad.observe(raw.adId, row);
    this.rows.push(raw);
    if (this.rows.length <= AGE_WATCH_ROWS && r.unknownColumns.length > 0) return this.watchAges(fields);
    return true;
  }

  private watchAges(fields: string[]): boolean {
    for (const i of this.recognition!.unknownColumns) this.ageWatch.observe(i, fields[i] ?? '');
    const column = this.ageWatch.found();
    if (column === null) return true;
    const header = (this.headers[column] ?? '').trim();
    this.refusal = {
      code: 'SCHEMA_INCOMPLETE',
      message: breakdownMessage({ kind: 'demographic', columns: [header] }, this.platform),
    };
    return false;
  }

  private observeDate(cell: string): string {
    const date = this.intern(cell);
    if (!this.dateReadings.has(date)) {
      const reading = readDate(date);
      this.dateReadings.set(date, reading);
      this.dateEvidence.observe(reading);
    }
    return date;
  }

  private observeNumber(cell: string, integerColumn: boolean, row: number): string {
    if (cell.length === 0) return cell;
    if (cell.indexOf('.') !== -1 || cell.indexOf(',') !== -1) this.decimalEvidence.observe(cell, integerColumn, row);
    return cell.length >= 13 ? detach(cell) : cell;
  }

  /** Names and IDs repeat on many rows: keep one copy of each, detached from the parsed chunk. */
  private intern(value: string): string {
    if (value === '') return '';
    const known = this.interned.get(value);
    if (known !== undefined) return known;
    const copy = detach(value);
    this.interned.set(copy, copy);
    return copy;
  }
}

/**
 * A copy of `s` that does not keep the chunk it was cut from alive (V8 substrings share their
 * parent's memory), so the file is not held in memory through the cells kept from it.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function isBlankRecord(fields: string[]): boolean {
  if (fields.length === 1) return fields[0]!.trim() === '';
  for (const f of fields) if (f.trim() !== '') return false;
  return true;
}

function onlyEmptyExtras(fields: string[], width: number): boolean {
  if (fields.length < width) return false;
  for (let i = width; i < fields.length; i++) if (fields[i]!.trim() !== '') return false;
  return true;
}
