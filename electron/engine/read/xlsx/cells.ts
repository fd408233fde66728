/**
 * Cell values of an .xlsx sheet as text, exactly. Excel stores a number as the XML text of a double
 * (`0.1218`, `211901`, `211901.0` from some writers, `1.2021555331076018E+17`); that text is passed
 * on as a plain decimal, never through a JavaScript number, so `0.1` stays `0.1` and no digit is
 * invented or lost. Only a number whose style is a date format is converted: to ISO `yyyy-mm-dd`.
 */

/** What a cell's number format makes of its number. */
export type NumberKind = 'number' | 'percent' | 'date' | 'datetime' | 'time';

/**
 * Excel's built-in number formats (ECMA-376 Part 1, 18.8.30 numFmt): 9-10 percent; 14-17 and 22
 * dates (22 with time); 18-21, 45-47 times; 27-36 and 50-58 the East Asian date formats
 * (`yyyy"年"m"月"d"日"` and the like; 32-35 are times there); 37-44, 48-49 numbers and text.
 */
export function builtInKind(id: number): NumberKind {
  if (id === 9 || id === 10) return 'percent';
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id === 36 || (id >= 50 && id <= 58)) return 'date';
  if (id === 22) return 'datetime';
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47)) return 'time';
  return 'number';
}

/**
 * A custom format code's kind: its literal text (`"…"`, `\x`), colours and conditions (`[Red]`,
 * `[>=100]`, `[$-409]`) removed, then `%` makes a percentage and the date letters `y d` (or `m` with
 * them), `h s` a date or time. Only the first section (positive numbers) counts.
 */
export function customKind(code: string): NumberKind {
  const first = code.split(';')[0] ?? '';
  const bare = first
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/_.|\*./g, '');
  if (bare.includes('%')) return 'percent';
  const lower = bare.toLowerCase();
  const hasDate = /[yd]/.test(lower) || /e/.test(lower.replace(/e[+-]/g, ''));
  const hasTime = /[hs]/.test(lower) || /am\/pm|a\/p/.test(lower);
  if (hasDate && hasTime) return 'datetime';
  if (hasDate || (!hasTime && /m/.test(lower) && !/[0#?]/.test(lower))) return 'date';
  if (hasTime) return 'time';
  return 'number';
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Significant digits a double holds exactly (Excel shows and computes with 15). */
const EXCEL_DIGITS = 15;

/**
 * The plain decimal text of a number's XML text: exponent applied, trailing fractional zeros and
 * leading zeros removed (`211901.0` → `211901`, `1.5E-3` → `0.0015`, `-0` → `0`). An integer of more
 * than 15 significant digits is shown as Excel shows it, rounded to 15 and padded with zeros
 * (`1.2021555331076018E+17` → `120215553310760000`): the cell cannot hold the real ID, and the ID
 * checks recognise such a rounded column. Null for text that is not a number.
 */
export function plainNumber(text: string): string | null {
  const fast = plainFast(text);
  if (fast !== null) return fast;
  const m = NUMBER.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const sign = m[1] === '-' ? '-' : '';
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + (m[4] ? Number(m[4]) : 0);
  // Leading zeros off (the point moves with them), then the zeros after the point at the end.
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  point -= lead;
  let end = digits.length;
  while (end > Math.max(point, 0) && digits[end - 1] === '0') end--;
  digits = digits.slice(0, end);
  if (digits === '') return '0';
  if (point >= digits.length && digits.length > EXCEL_DIGITS) {
    const rounded = roundDigits(digits, EXCEL_DIGITS);
    point += rounded.length - digits.length; // 999… carried into a new digit
    digits = rounded;
  }
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + out;
}

/**
 * The common shapes without a regular expression: `123`, `123.0`, `0.25` (no sign, exponent or
 * leading zero, at most 15 digits). Null for anything else, which the general path reads.
 */
function plainFast(text: string): string | null {
  const n = text.length;
  if (n === 0 || n > 16) return null;
  let point = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 && point === -1) point = i;
    else if (c < 48 || c > 57) return null;
  }
  if (point === 0 || (text.charCodeAt(0) === 48 && point !== 1 && n > 1)) return null;
  if (point === -1) return n > 15 ? null : text;
  let end = n;
  while (end > point + 1 && text.charCodeAt(end - 1) === 48) end--;
  if (end === point + 1) end = point;
  if (end === 1 && text.charCodeAt(0) === 48) return '0';
  return end === n ? text : text.slice(0, end);
}

/** `digits` rounded half-up to `keep` significant digits, the dropped ones as zeros (one digit longer when it carries). */
function roundDigits(digits: string, keep: number): string {
  const head = digits.slice(0, keep).split('').map(Number);
  if (Number(digits[keep]) >= 5) {
    let i = keep - 1;
    while (i >= 0 && head[i] === 9) head[i--] = 0;
    if (i < 0) head.unshift(1);
    else head[i]!++;
  }
  return head.join('') + '0'.repeat(digits.length - keep);
}

const DAY_MS = 86_400_000;
/** Day 0 of the 1900 date system is 1899-12-31; Excel also counts 1900-02-29, which never was (serial 60). */
const EPOCH_1900 = Date.UTC(1899, 11, 31);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * A date serial (days since the workbook's epoch, a fraction for the time of day) as ISO text:
 * `yyyy-mm-dd`, with ` hh:mm:ss` for date-times whose time is not midnight, `hh:mm:ss` for times.
 * Null when it is no date Excel can show (negative, or beyond 9999-12-31).
 */
export function serialToIso(serial: string, kind: 'date' | 'datetime' | 'time', date1904: boolean): string | null {
  const plain = plainNumber(serial);
  if (plain === null || plain.startsWith('-')) return null;
  const [whole, fraction = ''] = plain.split('.');
  let days = Number(whole);
  // Seconds of the day from the fraction's digits (at most 9 matter for a second).
  let seconds = fraction === '' ? 0 : Math.round(Number(`0.${fraction.slice(0, 12)}`) * 86_400);
  if (seconds === 86_400) {
    days++;
    seconds = 0;
  }
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
  if (kind === 'time') return time;
  let ms: number;
  if (date1904) ms = EPOCH_1904 + days * DAY_MS;
  else {
    if (days === 60) return null; // 1900-02-29: not a date
    ms = EPOCH_1900 + (days > 60 ? days - 1 : days) * DAY_MS;
  }
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (!Number.isFinite(ms) || year > 9999 || (!date1904 && days < 1)) return null;
  const iso = `${String(year).padStart(4, '0')}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return kind === 'datetime' && seconds !== 0 ? `${iso} ${time}` : iso;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `A` → 0, `Z` → 25, `AA` → 26: the column of a cell reference like `AB12`. Null without letters. */
export function columnIndex(ref: string): number | null {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 0x61 || c > 0x7a) break;
    n = n * 26 + (c - 0x60);
  }
  return i === 0 ? null : n - 1;
}

/** OOXML's escape of characters XML cannot carry (`_x000D_` is a carriage return, `_x005F_` an underscore). */
export function unescapeOoxml(text: string): string {
  return text.indexOf('_x') === -1
    ? text
    : text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
