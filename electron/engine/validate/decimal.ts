/**
 * Exact decimal arithmetic on the canonical text form (`"1234.56"`): money and counts are never
 * floats. Values are non-negative; sums are kept as a BigInt scaled by 10^scale.
 */

/** `"0012.500"` -> `"12.5"`, `"4.00"` -> `"4"`, `".5"` is not accepted (callers give digits first). */
export function normaliseDecimal(intDigits: string, fracDigits: string): string {
  let i = 0;
  while (i < intDigits.length - 1 && intDigits.charCodeAt(i) === 48) i++;
  const int = intDigits.length === 0 ? '0' : intDigits.slice(i);
  let end = fracDigits.length;
  while (end > 0 && fracDigits.charCodeAt(end - 1) === 48) end--;
  return end === 0 ? int : `${int}.${fracDigits.slice(0, end)}`;
}

/** An exact running sum of canonical decimal strings. */
export class DecimalSum {
  private units = 0n;
  private scale = 0;

  add(value: string): void {
    const dot = value.indexOf('.');
    if (dot === -1) {
      this.units += this.scale === 0 ? BigInt(value) : BigInt(value) * 10n ** BigInt(this.scale);
      return;
    }
    const frac = value.length - dot - 1;
    if (frac > this.scale) {
      this.units *= 10n ** BigInt(frac - this.scale);
      this.scale = frac;
    }
    const digits = BigInt(value.slice(0, dot) + value.slice(dot + 1));
    this.units += frac === this.scale ? digits : digits * 10n ** BigInt(this.scale - frac);
  }

  /** The sum in canonical form (`"48123.4471"`, `"0"`). */
  toString(): string {
    if (this.scale === 0) return this.units.toString();
    const s = this.units.toString().padStart(this.scale + 1, '0');
    return normaliseDecimal(s.slice(0, s.length - this.scale), s.slice(s.length - this.scale));
  }
}

/** Sums a list of canonical decimal strings exactly. */
export function sumDecimals(values: Iterable<string>): string {
  const sum = new DecimalSum();
  for (const v of values) sum.add(v);
  return sum.toString();
}
