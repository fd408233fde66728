/**
 * Exact decimal arithmetic on the canonical text form (`"1234.56"`): money and counts are never
 * floats. Values are non-negative.
 */

/** `"0012"`, `"500"` -> `"12.5"`; `"4"`, `"00"` -> `"4"`. Digits in, canonical decimal out. */
export function normaliseDecimal(intDigits: string, fracDigits: string): string {
  let i = 0;
  while (i < intDigits.length - 1 && intDigits.charCodeAt(i) === 48) i++;
  const int = intDigits.length === 0 ? '0' : i === 0 ? intDigits : intDigits.slice(i);
  let end = fracDigits.length;
  while (end > 0 && fracDigits.charCodeAt(end - 1) === 48) end--;
  return end === 0 ? int : `${int}.${end === fracDigits.length ? fracDigits : fracDigits.slice(0, end)}`;
}

const FRACTION_DIGITS = 9;
/** Below 2^53 with room for one more addend of up to 2^52. */
const FLUSH_AT = 2 ** 52;

/**
 * An exact running sum of canonical decimal strings. Integer parts and fractions of up to nine
 * digits are added as whole numbers in two doubles (exact below 2^53, flushed into a BigInt long
 * before that); longer fractions go straight to the BigInt. No float ever holds a fraction.
 */
export class DecimalSum {
  private ints = 0;
  /** Sum of fractional parts in units of 10^-9. */
  private nanos = 0;
  private big = 0n;
  /** Scale of `big`: units of 10^-bigScale. */
  private bigScale = FRACTION_DIGITS;

  add(value: string): void {
    const n = value.length;
    // Digits are read straight from the text (no substrings): this runs five times per row.
    let int = 0;
    let i = 0;
    for (; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c === 46) break;
      int = int * 10 + (c - 48);
    }
    const frac = i < n ? n - i - 1 : 0;
    if (i >= 16 || frac > FRACTION_DIGITS) {
      this.addBig(value.slice(0, i), i < n ? value.slice(i + 1) : '');
    } else {
      this.ints += int;
      if (frac > 0) {
        let nanos = 0;
        for (let k = i + 1; k < n; k++) nanos = nanos * 10 + (value.charCodeAt(k) - 48);
        this.nanos += nanos * POW10[FRACTION_DIGITS - frac]!;
      }
    }
    if (this.ints >= FLUSH_AT || this.nanos >= FLUSH_AT) this.flush();
  }

  /**
   * Adds `int + frac / 10^fracLen`, already read from a canonical value (`fracLen` ≤ 9 and `int`
   * below 2^53; callers check, else use `add`).
   */
  addParts(int: number, frac: number, fracLen: number): void {
    this.ints += int;
    if (fracLen > 0) this.nanos += frac * POW10[FRACTION_DIGITS - fracLen]!;
    if (this.ints >= FLUSH_AT || this.nanos >= FLUSH_AT) this.flush();
  }

  private addBig(int: string, frac: string): void {
    if (frac.length > this.bigScale) {
      this.big *= 10n ** BigInt(frac.length - this.bigScale);
      this.bigScale = frac.length;
    }
    this.big += BigInt(int + frac.padEnd(this.bigScale, '0'));
  }

  private flush(): void {
    const unit = 10n ** BigInt(this.bigScale);
    this.big += BigInt(this.ints) * unit + BigInt(this.nanos) * 10n ** BigInt(this.bigScale - FRACTION_DIGITS);
    this.ints = 0;
    this.nanos = 0;
  }

  /** The sum in canonical form (`"48123.4471"`, `"0"`). */
  toString(): string {
    this.flush();
    const s = this.big.toString().padStart(this.bigScale + 1, '0');
    return normaliseDecimal(s.slice(0, s.length - this.bigScale), s.slice(s.length - this.bigScale));
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
