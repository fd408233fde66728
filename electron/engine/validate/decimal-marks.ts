import type { ValidationIssue } from '../../../shared/report.ts';
import { DecimalMarkEvidence, parseDecimal, type DecimalMark } from './numbers.ts';
import { shorten } from './text.ts';

/**
 * The decimal mark of each metric column, decided from all of the file's evidence, never from one
 * column for all and never picked where the evidence conflicts:
 * - a column whose own cells show a mark (`0.88`, `1.234,5`, `1,204,332`) is read with it;
 * - the other columns take the file's mark: the one every column that shows a mark agrees on, else
 *   (no column shows one) the one the count columns' grouping shows (`19.233` impressions), else the
 *   one of the header's language;
 * - where the evidence conflicts (a column writes decimals both ways; columns disagree; the cells
 *   disagree with the header's language about an amount) the mark is left open, and every cell
 *   that either mark explains (`2.500`) is an error that says both readings: the person decides;
 * - an amount read by the header's language alone gets a warning naming the column and both readings;
 * - a count cell that the file's mark would give a fraction (`120.000` impressions in a file whose
 *   spend is `12.50`) is an error, never 120.
 */

export interface MetricColumn {
  index: number;
  header: string;
  /** Impressions and clicks: whole numbers. */
  integer: boolean;
}

export type ColumnMarkReason = 'own' | 'file' | 'language' | 'conflict' | 'columns-disagree' | 'language-disagrees';

export interface ColumnMark {
  /** The mark to read the column with, or null: cells either mark explains cannot be read. */
  mark: DecimalMark | null;
  why: ColumnMarkReason;
  /** Why, as a clause for messages ("Amount spent (USD) writes decimals with a point (row 2: 12.50)"). */
  because: string;
}

export interface DecimalDecision {
  /** The file's mark (for the read facts): where columns disagree, the header language's. */
  fileMark: DecimalMark;
  /** By column index. */
  columns: Record<number, ColumnMark>;
  /** A workbook's numeric cells are exact decimal text with a point: no language decides them. */
  exact: boolean;
}

/** The decimal-mark evidence of each metric column of a file. */
export class DecimalEvidence {
  private readonly byColumn = new Map<number, DecimalMarkEvidence>();

  column(index: number): DecimalMarkEvidence {
    let ev = this.byColumn.get(index);
    if (ev === undefined) {
      ev = new DecimalMarkEvidence();
      this.byColumn.set(index, ev);
    }
    return ev;
  }

  decide(columns: readonly MetricColumn[], language: { mark: DecimalMark; name: string; exact?: boolean }): DecimalDecision {
    const shown: { col: MetricColumn; mark: DecimalMark; row: number; cell: string }[] = [];
    let weakDot = 0;
    let weakComma = 0;
    let weakFirst: { col: MetricColumn; row: number; cell: string } | null = null;
    for (const col of columns) {
      const ev = this.column(col.index);
      const own = ev.ownMark();
      if (own === '.' || own === ',')
        shown.push({
          col,
          mark: own,
          row: own === '.' ? ev.firstDotRow! : ev.firstCommaRow!,
          cell: own === '.' ? ev.firstDotCell : ev.firstCommaCell,
        });
      weakDot += ev.weakDot;
      weakComma += ev.weakComma;
      if ((ev.weakDot > 0 || ev.weakComma > 0) && (weakFirst === null || ev.firstAmbiguousRow! < weakFirst.row)) {
        weakFirst = { col, row: ev.firstAmbiguousRow!, cell: ev.firstAmbiguousCell };
      }
    }
    const marks = new Set(shown.map((s) => s.mark));
    let fileMark: DecimalMark | null;
    let fileWhy: string;
    let fromLanguage = false;
    if (marks.size === 1) {
      const first = shown.reduce((a, b) => (b.row < a.row ? b : a));
      fileMark = first.mark;
      fileWhy = `${first.col.header} writes decimals with ${markName(first.mark)} (row ${first.row}: ${shorten(first.cell.trim())})`;
    } else if (marks.size === 0 && weakDot !== weakComma && weakFirst !== null) {
      fileMark = weakDot > weakComma ? '.' : ',';
      fileWhy = `the counts group thousands with "${fileMark === '.' ? ',' : '.'}" (${weakFirst.col.header}, row ${weakFirst.row}: ${shorten(weakFirst.cell.trim())}), so decimals are written with ${markName(fileMark)}`;
    } else if (marks.size === 0) {
      fileMark = language.mark;
      fromLanguage = true;
      fileWhy = `nothing in the file shows which, so the ${language.name} column names decided (${markName(language.mark)})`;
    } else {
      fileMark = null;
      const dot = shown.find((s) => s.mark === '.')!;
      const comma = shown.find((s) => s.mark === ',')!;
      fileWhy = `the file's columns disagree: ${dot.col.header} writes decimals with a point (row ${dot.row}: ${shorten(dot.cell.trim())}), ${comma.col.header} with a comma (row ${comma.row}: ${shorten(comma.cell.trim())})`;
    }

    const decided: Record<number, ColumnMark> = {};
    for (const col of columns) {
      const ev = this.column(col.index);
      const own = ev.ownMark();
      if (own === 'conflict') {
        decided[col.index] = {
          mark: null,
          why: 'conflict',
          because: `this column writes decimals both ways (row ${ev.firstDotRow}: ${shorten(ev.firstDotCell.trim())}; row ${ev.firstCommaRow}: ${shorten(ev.firstCommaCell.trim())})`,
        };
      } else if (own !== null) {
        decided[col.index] = {
          mark: own,
          why: 'own',
          because: `this column writes decimals with ${markName(own)} (row ${own === '.' ? ev.firstDotRow : ev.firstCommaRow}: ${shorten((own === '.' ? ev.firstDotCell : ev.firstCommaCell).trim())})`,
        };
      } else if (fileMark === null) {
        decided[col.index] = { mark: null, why: 'columns-disagree', because: fileWhy };
      } else if (fromLanguage) {
        decided[col.index] = { mark: fileMark, why: 'language', because: fileWhy };
      } else if (!col.integer && fileMark !== language.mark) {
        // An amount like `2.500` beside a Cost of `78,55` in an English file: the cells and the
        // language disagree, and a count cannot settle it for an amount.
        decided[col.index] = {
          mark: null,
          why: 'language-disagrees',
          because: `${fileWhy}, but the column names are ${language.name}, which write them with ${markName(language.mark)}`,
        };
      } else {
        decided[col.index] = { mark: fileMark, why: 'file', because: fileWhy };
      }
    }
    return { fileMark: fileMark ?? language.mark, columns: decided, exact: language.exact === true };
  }

  /**
   * The warnings of amounts read by the header's language alone: the column, a cell, both readings.
   * (A count needs none: its cells are errors where the mark would give a fraction.)
   */
  languageOnlyWarnings(columns: readonly MetricColumn[], decision: DecimalDecision): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    if (decision.exact) return out;
    for (const col of columns) {
      const d = decision.columns[col.index];
      const ev = this.byColumn.get(col.index);
      if (d === undefined || d.why !== 'language' || col.integer || ev === undefined || ev.ambiguous === 0) continue;
      const cell = shorten(ev.firstAmbiguousCell.trim());
      const [withPoint, withComma] = readings(cell);
      out.push({
        row: ev.firstAmbiguousRow,
        column: col.header,
        code: 'INVALID_VALUE',
        severity: 'warning',
        message: `${col.header} "${cell}" (row ${ev.firstAmbiguousRow}${ev.ambiguous > 1 ? ` and ${ev.ambiguous - 1} more like it` : ''}) is ${withPoint} with a decimal point or ${withComma} with a decimal comma, a ${thousandfold(withPoint, withComma)} difference; ${d.because}: ${d.mark === '.' ? withPoint : withComma}. Check one value against the ad platform; if it is wrong, export the file again with another number format.`,
      });
    }
    return out;
  }
}

/** A cell either mark explains, read both ways: [with a decimal point, with a decimal comma]. */
export function readings(cell: string): [string, string] {
  const a = parseDecimal(cell, '.');
  const b = parseDecimal(cell, ',');
  return [typeof a === 'string' ? a : cell, typeof b === 'string' ? b : cell];
}

export function sameDecimalDecision(a: DecimalDecision, b: DecimalDecision): boolean {
  if (a.fileMark !== b.fileMark) return false;
  const keys = Object.keys(a.columns);
  if (keys.length !== Object.keys(b.columns).length) return false;
  return keys.every(
    (k) => a.columns[Number(k)]?.mark === b.columns[Number(k)]?.mark && a.columns[Number(k)]?.why === b.columns[Number(k)]?.why,
  );
}

function markName(mark: DecimalMark): string {
  return mark === '.' ? 'a point' : 'a comma';
}

function thousandfold(a: string, b: string): string {
  return Number(b) / Number(a) >= 999 ? '1,000-fold' : 'large';
}
