import { DecimalSum } from '../../electron/engine/validate/decimal.ts';

/** Sums a list of canonical decimal strings exactly (the engine's `DecimalSum`), for expected totals in tests. */
export function sumDecimals(values: Iterable<string>): string {
  const sum = new DecimalSum();
  for (const v of values) sum.add(v);
  return sum.toString();
}
