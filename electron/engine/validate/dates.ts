/**
 * Dates as exports write them: ISO `2025-09-01` (optionally with a midnight time), numeric dates
 * whose day/month order is decided once per file (`9/1/2025`, `01.09.2025`), dates with month
 * names (`Sep 1, 2025`, `1-Sep-25`, `9 mei 2020`), the same with a weekday in front (`Thu, 5 Feb
 * 2026`, Google Ads Overview cards; the weekday must be the date's own, else the cell is refused),
 * and the year-first forms of Japanese and Korean (`2026年1月1日`; `2026. 1. 1.`, CLDR's ko
 * medium date pattern `y. M. d.` that Excel and browsers write), which have no order to decide.
 */

export type DateOrder = 'dmy' | 'mdy';

/** A cell read as far as it can be without knowing the file's day/month order. */
export type DateReading =
  | { kind: 'exact'; iso: string }
  /** `a/b/y`: either day/month or month/day. */
  | { kind: 'numeric'; a: number; b: number; y: number; separator: string; text: string }
  | { kind: 'invalid'; text: string };

const ISO = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]0?0:00(?::00(?:\.0+)?)?Z?)?$/;
const NUMERIC = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\.?(?: 0?0:00(?::00)?)?$/;
const DAY_MONTH_NAME = /^(\d{1,2})\.?[ -]([^\d\s.,-]+)\.?[ ,-]+(\d{4}|\d{2})$/u;
const MONTH_NAME_DAY = /^([^\d\s.,-]+)\.? (\d{1,2}),? (\d{4})$/u;
const WEEKDAY_PREFIX = /^([^\d\s.,-]+)\.?,? +(.+)$/u;
const JA_YMD = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/u;
const KO_YMD = /^(\d{4})\. ?(\d{1,2})\. ?(\d{1,2})\.?$/;

/** Weekday names and abbreviations (English, as Google's Overview cards write them), Sunday first. */
const WEEKDAYS = new Map<string, number>();
[
  ['sunday', 'sun'],
  ['monday', 'mon'],
  ['tuesday', 'tue', 'tues'],
  ['wednesday', 'wed'],
  ['thursday', 'thu', 'thur', 'thurs'],
  ['friday', 'fri'],
  ['saturday', 'sat'],
].forEach((names, i) => names.forEach((n) => WEEKDAYS.set(n, i)));

/** `Sunday`, `Mon`: a day of the week, not a date (a day-of-week segment). */
export function isWeekdayName(raw: string): boolean {
  return WEEKDAYS.has(raw.trim().replace(/\.$/, '').toLowerCase());
}

const MONTHS = new Map<string, number>();
const MONTH_NAMES: readonly (readonly string[])[] = [
  ['january', 'jan', 'januar', 'januari', 'enero', 'ene', 'janvier', 'janv', 'jänner'],
  ['february', 'feb', 'februar', 'februari', 'febrero', 'février', 'févr'],
  ['march', 'mar', 'märz', 'maart', 'mrt', 'marzo', 'mars'],
  ['april', 'apr', 'abril', 'abr', 'avril', 'avr'],
  ['may', 'mai', 'mei', 'mayo'],
  ['june', 'jun', 'juni', 'junio', 'juin'],
  ['july', 'jul', 'juli', 'julio', 'juillet', 'juil'],
  ['august', 'aug', 'augustus', 'agosto', 'ago', 'août'],
  ['september', 'sep', 'sept', 'septiembre', 'septembre'],
  ['october', 'oct', 'oktober', 'okt', 'octubre', 'octobre'],
  ['november', 'nov', 'noviembre', 'novembre'],
  ['december', 'dec', 'dez', 'dezember', 'diciembre', 'dic', 'décembre', 'déc'],
];
MONTH_NAMES.forEach((names, i) => names.forEach((n) => MONTHS.set(n, i + 1)));

export function readDate(raw: string): DateReading {
  const s = raw.trim();
  let m = JA_YMD.exec(s) ?? KO_YMD.exec(s);
  if (m) return exact(Number(m[1]), Number(m[2]), Number(m[3]), s);
  m = WEEKDAY_PREFIX.exec(s);
  if (m) {
    const weekday = WEEKDAYS.get(m[1]!.toLowerCase());
    if (weekday !== undefined) {
      const rest = readNamedDate(m[2]!.trim());
      if (rest === null || rest.kind !== 'exact') return { kind: 'invalid', text: s };
      return new Date(`${rest.iso}T00:00:00Z`).getUTCDay() === weekday ? rest : { kind: 'invalid', text: s };
    }
  }
  return readNamedDate(s) ?? readPlainDate(s);
}

/** A date with a month name (`Sep 1, 2025`, `9 mei 2020`), or null when the cell has none. */
function readNamedDate(s: string): DateReading | null {
  let m = DAY_MONTH_NAME.exec(s);
  if (m) {
    const month = MONTHS.get(m[2]!.toLowerCase());
    return month === undefined ? { kind: 'invalid', text: s } : exact(fullYear(m[3]!), month, Number(m[1]), s);
  }
  m = MONTH_NAME_DAY.exec(s);
  if (m) {
    const month = MONTHS.get(m[1]!.toLowerCase());
    return month === undefined ? { kind: 'invalid', text: s } : exact(Number(m[3]), month, Number(m[2]), s);
  }
  return null;
}

function readPlainDate(s: string): DateReading {
  let m = ISO.exec(s);
  if (m) return exact(Number(m[1]), Number(m[3]), Number(m[4]), s);
  m = NUMERIC.exec(s);
  if (m) return { kind: 'numeric', a: Number(m[1]), b: Number(m[3]), y: fullYear(m[4]!), separator: m[2]!, text: s };
  return { kind: 'invalid', text: s };
}

function fullYear(y: string): number {
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

function exact(y: number, m: number, d: number, text: string): DateReading {
  const iso = isoDate(y, m, d);
  return iso === null ? { kind: 'invalid', text } : { kind: 'exact', iso };
}

/** `YYYY-MM-DD` for a real calendar date, else null. */
export function isoDate(y: number, m: number, d: number): string | null {
  if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/** Collects the numeric dates of a file so their day/month order can be decided once. */
export class DateOrderEvidence {
  /** Cells only day/month explains (first number above 12), and only month/day explains. */
  dmy = 0;
  mdy = 0;
  private readonly seen = new Map<string, { a: number; b: number; y: number; separator: string }>();

  /** Call once per distinct date cell. */

  observe(reading: DateReading): void {
    if (reading.kind !== 'numeric') return;
    const { a, b, y } = reading;
    if (a > 12 && b <= 12) this.dmy++;
    else if (b > 12 && a <= 12) this.mdy++;
    const key = `${a}/${b}/${y}`;
    if (!this.seen.has(key)) this.seen.set(key, reading);
  }

  get hasNumericDates(): boolean {
    return this.seen.size > 0;
  }

  /**
   * The file's order. Unambiguous cells decide; when every cell fits both orders, the order that
   * gives the shorter date span wins (a daily export covers consecutive days: 01/09..12/09 is
   * twelve days read day/month and most of a year read month/day); when both give the same span
   * but different dates, a dot separator means day/month (`01.09.2025`) and otherwise the order is
   * left undecided (`null`) so those cells are refused rather than guessed.
   */
  decide(): DateOrder | null {
    if (this.dmy !== this.mdy) return this.dmy > this.mdy ? 'dmy' : 'mdy';
    if (this.dmy > 0) return null;
    let differ = false;
    let dots = 0;
    const dmy: string[] = [];
    const mdy: string[] = [];
    for (const r of this.seen.values()) {
      if (r.a !== r.b) differ = true;
      if (r.separator === '.') dots++;
      const d = isoDate(r.y, r.b, r.a);
      const m = isoDate(r.y, r.a, r.b);
      if (d) dmy.push(d);
      if (m) mdy.push(m);
    }
    if (!differ) return 'dmy';
    const spanD = spanDays(dmy);
    const spanM = spanDays(mdy);
    if (spanD !== spanM) return spanD < spanM ? 'dmy' : 'mdy';
    if (dots === this.seen.size) return 'dmy';
    return null;
  }
}

function spanDays(isoDates: string[]): number {
  if (isoDates.length === 0) return Number.POSITIVE_INFINITY;
  let min = isoDates[0]!;
  let max = min;
  for (const d of isoDates) {
    if (d < min) min = d;
    if (d > max) max = d;
  }
  return (Date.parse(max) - Date.parse(min)) / 86_400_000;
}

/** The ISO date of a reading under the file's order, or null (invalid, or the order is undecided). */
export function resolveDate(reading: DateReading, order: DateOrder | null): string | null {
  if (reading.kind === 'exact') return reading.iso;
  if (reading.kind === 'invalid') return null;
  if (order === null) return reading.a === reading.b ? isoDate(reading.y, reading.a, reading.b) : null;
  return order === 'dmy' ? isoDate(reading.y, reading.b, reading.a) : isoDate(reading.y, reading.a, reading.b);
}
