import { normaliseDecimal } from './decimal.ts';
import { detach } from './text.ts';

/** The file's decimal mark, decided once per file from all its metric cells, never per cell. */
export type DecimalMark = '.' | ',';

/**
 * What the cells of one metric column say about its decimal mark. The file's decision, per column
 * where columns disagree, is taken from every column's evidence together (decimal-marks.ts).
 */
export class DecimalMarkEvidence {
  /** Cells only a decimal point explains (`0.88`, `1,234.5`, `1,204,332`). */
  dot = 0;
  /** Cells only a decimal comma explains (`0,88`, `1.234,5`, `1.204.332`). */
  comma = 0;
  /** Count cells (`1,204` reads as 1204 only with a decimal point; `1.696` only with a comma). */
  weakDot = 0;
  weakComma = 0;
  /** Cells either mark explains (`1.234`, `2,500`: one mark, then three digits). */
  ambiguous = 0;
  firstDotRow: number | null = null;
  firstCommaRow: number | null = null;
  firstAmbiguousRow: number | null = null;
  firstDotCell = '';
  firstCommaCell = '';
  firstAmbiguousCell = '';

  observe(cell: string, integerColumn: boolean, row: number): void {
    // One pass over the cell: how many of each mark, where the last one is, digits around it.
    let dots = 0;
    let commas = 0;
    let last = -1;
    for (let i = 0; i < cell.length; i++) {
      const c = cell.charCodeAt(i);
      if (c === 46) {
        dots++;
        last = i;
      } else if (c === 44) {
        commas++;
        last = i;
      }
    }
    if (last === -1) return;
    const mark: DecimalMark = cell.charCodeAt(last) === 46 ? '.' : ',';
    if (dots > 0 && commas > 0) {
      this.vote(mark, row, cell);
      return;
    }
    if (dots + commas > 1) {
      // The same mark twice can only be grouping, so the decimal mark is the other one.
      this.vote(mark === '.' ? ',' : '.', row, cell);
      return;
    }
    const digitsAfter = countDigits(cell, last + 1);
    const digitsBefore = countDigitsBackwards(cell, last - 1);
    this.observeOneMark(mark, digitsBefore, digitsAfter, digitsBefore === 1 && cell.charCodeAt(last - 1) === 48, integerColumn, row, cell);
  }

  /** A cell with one mark and nothing else around it but digits (what `observe` makes of it). */
  observeOneMark(
    mark: DecimalMark,
    digitsBefore: number,
    digitsAfter: number,
    leadingZero: boolean,
    integerColumn: boolean,
    row: number,
    cell: string,
  ): void {
    if (digitsAfter !== 3 || digitsBefore === 0 || digitsBefore > 3 || leadingZero) {
      this.vote(mark, row, cell);
      return;
    }
    if (this.ambiguous++ === 0) {
      this.firstAmbiguousRow = row;
      this.firstAmbiguousCell = detach(cell);
    }
    if (integerColumn) {
      // `1,204` impressions: a count has no decimals, so the mark is grouping.
      if (mark === ',') this.weakDot++;
      else this.weakComma++;
    }
  }

  private vote(mark: DecimalMark, row: number, cell: string): void {
    if (mark === '.') {
      if (this.dot++ === 0) {
        this.firstDotRow = row;
        this.firstDotCell = detach(cell);
      }
    } else if (this.comma++ === 0) {
      this.firstCommaRow = row;
      this.firstCommaCell = detach(cell);
    }
  }

  /** What this column's own cells say: a mark, `conflict` when they write decimals both ways, or null. */
  ownMark(): DecimalMark | 'conflict' | null {
    if (this.dot > 0 && this.comma > 0) return 'conflict';
    return this.dot > 0 ? '.' : this.comma > 0 ? ',' : null;
  }
}

/**
 * The mark of a cell either mark explains: one `.` or `,` with one to three digits before it (not a
 * lone 0) and exactly three after (`1.234`, `120,000`), or null. Currency signs and spaces around are
 * allowed. Such a cell is 1.234 with a decimal point and 1234 with a decimal comma (or the reverse).
 */
export function ambiguousMark(raw: string): DecimalMark | null {
  let s = raw;
  let n = s.length;
  if (n < 5) return null;
  if (n > 7 || !isDigit(s.charCodeAt(0)) || !isDigit(s.charCodeAt(n - 1))) {
    s = s.trim().replace(CURRENCY_SIGNS, '').trim();
    n = s.length;
    if (n < 5 || n > 7) return null;
  }
  const m = s.charCodeAt(n - 4);
  if (m !== 46 && m !== 44) return null;
  if (s.charCodeAt(0) === 48 && n === 5) return null;
  for (let i = 0; i < n; i++) if (i !== n - 4 && !isDigit(s.charCodeAt(i))) return null;
  return m === 46 ? '.' : ',';
}

/** The decimal mark a cell shows by itself (`0.88`, `1.234,5`, `1,204,332`), or null (no mark, or ambiguous). */
export function impliedMark(raw: string): DecimalMark | null {
  const ev = new DecimalMarkEvidence();
  ev.observe(raw, false, 0);
  const own = ev.ownMark();
  return own === 'conflict' ? null : own;
}

function countDigits(s: string, from: number): number {
  let i = from;
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i - from;
}

function countDigitsBackwards(s: string, from: number): number {
  let i = from;
  while (i >= 0 && isDigit(s.charCodeAt(i))) i--;
  return from - i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Why a cell is not a number of the kind asked for (a sentence fragment after the value). */
export class NumberProblem {
  constructor(readonly problem: string) {}
}

const PLAIN_INTEGER = /^\d+$/;
const CURRENCY_SIGNS = /^[$€£¥₩₹]|[$€£¥₩₹]$/g;
const SPACE_GROUPS = /[\u00a0\u202f ']/;
const SCIENTIFIC = /^\d+(?:[.,]\d+)?e[+-]?\d+$/i;

/**
 * Reads a non-negative decimal written with the file's decimal mark, allowing thousands grouping
 * with the other mark, a space or an apostrophe, and a leading or trailing currency sign. Returns
 * the canonical text (`"1,234.50"` -> `"1234.5"`), or a `NumberProblem` saying why it is not one.
 */
export function parseDecimal(raw: string, mark: DecimalMark): string | NumberProblem {
  // Most cells are plain digits, or digits, the file's mark and digits (/^\d+$/, /^\d+[.,]\d+$/): one scan.
  const n = raw.length;
  let at = 0;
  while (at < n && isDigit(raw.charCodeAt(at))) at++;
  if (at === n && n > 0) return raw.charCodeAt(0) !== 48 || n === 1 ? raw : normaliseDecimal(raw, '');
  if (at > 0 && at < n - 1 && raw.charCodeAt(at) === (mark === '.' ? 46 : 44)) {
    let end = at + 1;
    while (end < n && isDigit(raw.charCodeAt(end))) end++;
    if (end === n) {
      // Already canonical (`152.734418`): the cell itself, no new string.
      if (mark === '.' && raw.charCodeAt(n - 1) !== 48 && (raw.charCodeAt(0) !== 48 || at === 1)) return raw;
      return normaliseDecimal(raw.slice(0, at), raw.slice(at + 1));
    }
  }
  let s = raw.trim();
  if (s === '' || s === '--' || s === '-') return '0';
  s = s.replace(CURRENCY_SIGNS, '').trim();
  if (s.startsWith('-') || s.startsWith('(')) return new NumberProblem('is negative; metrics are never below zero');
  if (s.endsWith('%')) return new NumberProblem('is a percentage, not an amount');
  if (SCIENTIFIC.test(s)) {
    return new NumberProblem('is in scientific notation (the file was probably re-saved by a spreadsheet)');
  }
  const group = mark === '.' ? ',' : '.';
  let intDigits = '';
  let fracDigits = '';
  let groupChar: string | null = null;
  let digitsSinceGroup = 0;
  let sawGroup = false;
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (isDigit(c.charCodeAt(0))) {
      intDigits += c;
      digitsSinceGroup++;
      continue;
    }
    if (c === mark) break;
    if (c === group || SPACE_GROUPS.test(c)) {
      if (groupChar !== null && c !== groupChar) return notANumber(mark);
      if (intDigits.length === 0 || (sawGroup ? digitsSinceGroup !== 3 : digitsSinceGroup > 3)) return notANumber(mark);
      groupChar = c;
      sawGroup = true;
      digitsSinceGroup = 0;
      continue;
    }
    return notANumber(mark);
  }
  if (sawGroup && digitsSinceGroup !== 3) return notANumber(mark);
  if (i < s.length) {
    fracDigits = s.slice(i + 1);
    if (fracDigits.length === 0 || !PLAIN_INTEGER.test(fracDigits)) return notANumber(mark);
  }
  if (intDigits.length === 0) {
    if (fracDigits.length === 0) return notANumber(mark);
    intDigits = '0';
  }
  return normaliseDecimal(intDigits, fracDigits);
}

/**
 * `parseDecimal`, also giving the cell to `evidence` exactly as `evidence.observe(raw, integerColumn, row)`
 * would (a blank cell is not evidence): a plain cell needs just the one scan for both.
 */
export function parseDecimalObserved(
  raw: string,
  mark: DecimalMark,
  evidence: DecimalMarkEvidence,
  integerColumn: boolean,
  row: number,
): string | NumberProblem {
  const n = raw.length;
  let at = 0;
  while (at < n && isDigit(raw.charCodeAt(at))) at++;
  // Only digits: no mark, no evidence.
  if (at === n) return n === 0 ? parseDecimal(raw, mark) : raw.charCodeAt(0) !== 48 || n === 1 ? raw : normaliseDecimal(raw, '');
  if (at > 0 && at < n - 1 && raw.charCodeAt(at) === (mark === '.' ? 46 : 44)) {
    let end = at + 1;
    while (end < n && isDigit(raw.charCodeAt(end))) end++;
    if (end === n) {
      evidence.observeOneMark(mark, at, n - at - 1, at === 1 && raw.charCodeAt(0) === 48, integerColumn, row, raw);
      if (mark === '.' && raw.charCodeAt(n - 1) !== 48 && (raw.charCodeAt(0) !== 48 || at === 1)) return raw;
      return normaliseDecimal(raw.slice(0, at), raw.slice(at + 1));
    }
  }
  evidence.observe(raw, integerColumn, row);
  return parseDecimal(raw, mark);
}

/** `parseCount`, giving the cell to `evidence` as `parseDecimalObserved` does. */
export function parseCountObserved(raw: string, mark: DecimalMark, evidence: DecimalMarkEvidence, row: number): string | NumberProblem {
  const r = parseDecimalObserved(raw, mark, evidence, true, row);
  if (typeof r === 'string' && r.includes('.')) return new NumberProblem('is not a whole number');
  return r;
}

/** A non-negative whole number (`"1,204"` -> `"1204"`; `"97.00"` -> `"97"`). */
export function parseCount(raw: string, mark: DecimalMark): string | NumberProblem {
  const r = parseDecimal(raw, mark);
  if (typeof r === 'string' && r.includes('.')) return new NumberProblem('is not a whole number');
  return r;
}

function notANumber(mark: DecimalMark): NumberProblem {
  return new NumberProblem(
    `is not a number (this file writes decimals with a ${mark === '.' ? 'point, e.g. 1,234.56' : 'comma, e.g. 1.234,56'})`,
  );
}

/**
 * A currency written in a money cell (`US$50.00`, `€12,50`, `12.50 USD`, `¥100`): what is written and
 * the ISO 4217 codes it can mean. `$` alone is any dollar (or peso); `¥` is yen or yuan.
 */
export interface CurrencyMarker {
  text: string;
  codes: readonly string[];
}

const DOLLARS = ['USD', 'CAD', 'AUD', 'NZD', 'HKD', 'SGD', 'MXN', 'TWD', 'ARS', 'CLP', 'COP'];
/** Signs and prefixes as the platforms and spreadsheets write them (Google's overview cards: `US$`). */
const SIGNS: Record<string, readonly string[]> = {
  $: DOLLARS,
  US$: ['USD'],
  U$S: ['USD'],
  CA$: ['CAD'],
  C$: ['CAD'],
  A$: ['AUD'],
  AU$: ['AUD'],
  NZ$: ['NZD'],
  HK$: ['HKD'],
  S$: ['SGD'],
  MX$: ['MXN'],
  R$: ['BRL'],
  NT$: ['TWD'],
  '€': ['EUR'],
  '£': ['GBP'],
  '¥': ['JPY', 'CNY'],
  '￥': ['JPY', 'CNY'],
  '₩': ['KRW'],
  '₹': ['INR'],
  '₺': ['TRY'],
  '₽': ['RUB'],
  '₫': ['VND'],
  '₱': ['PHP'],
  '฿': ['THB'],
  '₪': ['ILS'],
  zł: ['PLN'],
};
const MONEY_PREFIX = /^([A-Z]{3}|[A-Z]{0,2}\$|U\$S|[€£¥￥₩₹₺₽₫₱฿₪]|zł)\s?(?=[\d.,(-])/u;
const MONEY_SUFFIX = /(?<=[\d.,)])\s?([A-Z]{3}|[A-Z]{0,2}\$|[€£¥￥₩₹₺₽₫₱฿₪]|zł)$/u;

/**
 * Splits a money cell into its amount and the currency written with it (null when none). A cell
 * with a sign or code on both sides, or one metricdrop does not know, is a NumberProblem.
 */
export function splitMoney(raw: string): { amount: string; currency: CurrencyMarker | null } | NumberProblem {
  const s = raw.trim();
  const pre = MONEY_PREFIX.exec(s);
  const post = MONEY_SUFFIX.exec(s);
  if (pre !== null && post !== null) return new NumberProblem('has a currency on both sides');
  const m = pre ?? post;
  // No currency: the amount as it is (parseDecimal says what is wrong with it, if anything).
  if (m === null) return { amount: raw, currency: null };
  const text = m[1]!;
  const codes = SIGNS[text] ?? (/^[A-Z]{3}$/.test(text) ? [text] : null);
  if (codes === null) return new NumberProblem(`has "${text}", which is not a currency metricdrop knows`);
  const amount = pre !== null ? s.slice(pre[0].length) : s.slice(0, s.length - post![0].length);
  return { amount, currency: { text, codes } };
}

/** Whether a cell starts or ends with something other than a digit (the only cells that can carry a currency). */
export function hasNonDigitEdge(cell: string): boolean {
  const n = cell.length;
  return n > 0 && (!isDigit(cell.charCodeAt(0)) || !isDigit(cell.charCodeAt(n - 1)));
}
