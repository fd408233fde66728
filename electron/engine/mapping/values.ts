import { readDate } from '../validate/dates.ts';

/**
 * What a cell looks like, for the mapping's evidence and checks only (the values themselves are
 * always read by the validator's own parsers): a number (digits with grouping or decimal marks,
 * an optional sign, percent, currency sign or code), a date, a currency code, text, or empty.
 */
export type CellShape = 'empty' | 'integer' | 'decimal' | 'date' | 'currency' | 'text';

const NUMBER = /^(?:[A-Z]{3}\s?)?\p{Sc}?\s?[-+]?\p{Sc}?\s?\d[\d\s.,'\u00a0\u202f]*%?\s?\p{Sc}?(?:\s?[A-Z]{3})?$/u;
const FRACTION = /[.,]\d{1,2}(?:\D*)$|[.,]\d{4,}(?:\D*)$/;
const PLACEHOLDER = /^(?:-+|—|n\/a|na)$/i;

export function cellShape(raw: string): CellShape {
  const s = raw.trim();
  if (s === '' || PLACEHOLDER.test(s)) return 'empty';
  if (/^[A-Z]{3}$/.test(s)) return 'currency';
  if (readDate(s).kind !== 'invalid') return 'date';
  if (NUMBER.test(s)) return FRACTION.test(s) ? 'decimal' : 'integer';
  return 'text';
}

/** How the first cells of one column look. */
export class ColumnShapes {
  readonly counts: Record<CellShape, number> = { empty: 0, integer: 0, decimal: 0, date: 0, currency: 0, text: 0 };
  readonly examples: Partial<Record<CellShape, string[]>> = {};

  observe(cell: string): void {
    const shape = cellShape(cell);
    this.counts[shape]++;
    const list = (this.examples[shape] ??= []);
    if (list.length < 3) list.push(cell.trim());
  }

  get filled(): number {
    return this.counts.integer + this.counts.decimal + this.counts.date + this.counts.currency + this.counts.text;
  }
  get numbers(): number {
    return this.counts.integer + this.counts.decimal;
  }
  /** Every filled cell is one of these shapes (and at least one is filled). */
  only(...shapes: CellShape[]): boolean {
    if (this.filled === 0) return false;
    const n = shapes.reduce((sum, s) => sum + this.counts[s], 0);
    return n === this.filled;
  }
}

/** `"Brand", "Generic"`: examples for a sentence. */
export function quoted(examples: readonly string[] | undefined): string {
  return (examples ?? []).map((e) => `"${e.length > 40 ? `${e.slice(0, 39)}…` : e}"`).join(', ');
}
