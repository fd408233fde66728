import type { Platform } from '../../../shared/canonical.ts';
import { isWeekdayName } from '../validate/dates.ts';
import { AgeValueWatch, BreakdownWatch, breakdownMessage, type SegmentColumn } from './breakdowns.ts';
import type { FileProblem } from './problems.ts';
import { aggregatedRangeMessage, displayName, type DuplicateCopies, type Recognition } from './recognise.ts';

/** A row of Meta's "nothing in this period" export: `No data available.` and nothing else. */
const NO_DATA = /^no data available\.?$/i;

export function isNoDataRow(fields: readonly string[]): boolean {
  let text: string | null = null;
  for (const f of fields) {
    const v = f.trim();
    if (v === '') continue;
    if (text !== null) return false;
    text = v;
  }
  return text !== null && NO_DATA.test(text);
}

/**
 * The file-level checks that need the rows, run on every data row while streaming: segment
 * columns whose values split the rows (a breakdown), age ranges in unknown columns, Meta rows that
 * cover the whole reporting range (no per-day rows), and copies of a needed header that disagree.
 */
export class RowChecks {
  readonly problems: FileProblem[] = [];
  private readonly breakdowns: BreakdownWatch;
  private readonly ages = new AgeValueWatch();
  private readonly ageColumns: readonly number[];
  private breakdownTold = false;
  private rangeChecked: boolean;
  private readonly copies: DuplicateCopies[];
  private rows = 0;
  private weekdayChecked: boolean;

  constructor(
    private readonly recognition: Recognition | null,
    segments: readonly SegmentColumn[],
    private readonly platform: Platform | null,
    private readonly headers: readonly string[],
  ) {
    const r = recognition;
    const key: number[] = [];
    if (r) {
      const c = r.columns;
      for (const ref of [c.date ?? c.range_start, c.campaign_id, c.campaign_name, c.ad_set_id, c.ad_set_name, c.ad_id, c.ad_name])
        if (ref) key.push(ref.index);
    }
    this.breakdowns = new BreakdownWatch(segments, key);
    this.ageColumns = r ? r.unknownColumns : [];
    this.rangeChecked = !(r?.dateFromRange ?? false);
    this.copies = r ? [...r.duplicates] : [];
    this.weekdayChecked = !r?.columns.date;
  }

  /** True once nothing more can be learnt from further rows. */
  get done(): boolean {
    return (this.breakdownTold || this.breakdowns.done) && this.rangeChecked && this.weekdayChecked && this.copies.length === 0;
  }

  observe(fields: readonly string[], row: number): void {
    this.rows++;
    if (!this.breakdownTold) {
      this.breakdowns.observe(fields);
      const b = this.breakdowns.found();
      if (b) this.tellBreakdown(breakdownMessage(b, this.platform), b.columns);
      else if (this.rows <= 200 && this.ageColumns.length > 0) {
        for (const i of this.ageColumns) this.ages.observe(i, fields[i] ?? '');
        const column = this.ages.found();
        if (column !== null) {
          const header = (this.headers[column] ?? '').trim();
          this.tellBreakdown(breakdownMessage({ kind: 'demographic', columns: [header] }, this.platform), [header]);
        }
      }
    }
    const r = this.recognition;
    if (!this.rangeChecked && r) {
      const from = (fields[r.columns.range_start!.index] ?? '').trim();
      const to = (fields[r.columns.range_end!.index] ?? '').trim();
      if (from !== to) {
        this.rangeChecked = true;
        this.problems.push({ kind: 'notDaily', code: 'MISSING_COLUMN', message: aggregatedRangeMessage(from, to, row) });
      }
    }
    if (!this.weekdayChecked && r) {
      // Google's Overview card "Day & hour" writes `Day` = Sunday…Saturday: days of the week, not dates.
      const ref = r.columns.date!;
      const cell = (fields[ref.index] ?? '').trim();
      if (cell !== '') {
        this.weekdayChecked = true;
        if (isWeekdayName(cell)) {
          this.problems.push({
            kind: 'notDaily',
            code: 'MISSING_COLUMN',
            columns: [ref.header],
            message: `The ${ref.header} column holds days of the week ("${cell}" in row ${row}), not dates: the rows are totals per weekday over the whole period. Export the report by Day (a date on every row) instead.`,
          });
        }
      }
    }
    for (let k = 0; k < this.copies.length; k++) {
      const d = this.copies[k]!;
      const first = (fields[d.indices[0]!] ?? '').trim();
      const other = d.indices.find((i) => (fields[i] ?? '').trim() !== first);
      if (other === undefined) continue;
      this.copies.splice(k--, 1);
      const name = r ? displayName(r.platform, d.field) : d.field;
      this.problems.push({
        kind: 'duplicate',
        code: 'UNKNOWN_FORMAT',
        columns: [d.header],
        message: `The header "${d.header}" appears in column ${d.indices[0]! + 1} and column ${other + 1}, and row ${row} has different values in them ("${first}" and "${(fields[other] ?? '').trim()}"), so metricdrop cannot tell which one holds the ${name}. Remove one of them, or rename it, and try again.`,
      });
    }
  }

  private tellBreakdown(message: string, columns: string[]): void {
    this.breakdownTold = true;
    this.problems.push({ kind: 'breakdown', code: 'SCHEMA_INCOMPLETE', message, columns });
  }
}
