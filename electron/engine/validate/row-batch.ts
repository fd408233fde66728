/** Metrics per row, in canonical-row order: impressions, clicks, spend, conversions, conversion value. */
export const METRICS = 5;

/**
 * A run of a `RowTable`'s rows in its own compact form, and the entities and days first used in it:
 * what recording the rows elsewhere (a worker thread, `record/`) needs. The arrays are the table's
 * own, in shared memory, so a batch sent to another thread copies no row: the batch is rows `from`
 * to `to` (exclusive) of them, which the table never writes again (it only adds rows past them).
 */
export interface RowBatch {
  from: number;
  to: number;
  rowNumbers: Int32Array;
  /** Each metric as its digits and decimal scale (`row * 5 + metric`); scale -1: the text is in `long`. */
  digits: Float64Array;
  scales: Int8Array;
  /** The batch's metrics with more digits than a double holds exactly, by `row * 5 + metric`. */
  long: [number, string][];
  /** Each row's finest entity and day, as numbers into the entities and days sent so far. */
  entityOf: Int32Array;
  dayOf: Int32Array;
  /** Entities first used in this batch, numbered on from the ones sent before: the chain down to the finest. */
  entities: EntityChain[];
  /** Days first used in this batch, numbered on likewise. */
  days: string[];
}

/** An entity and its parents' ids and names; ad set and ad are null above their level. */
export type EntityChain = [
  campaignId: string,
  campaignName: string,
  adSetId: string | null,
  adSetName: string | null,
  adId: string | null,
  adName: string | null,
];

/** How much of a table has been put into batches already. */
export interface BatchCursor {
  rows: number;
  entities: number;
  days: number;
}

/** Digits a double holds exactly (below 2^53): a metric with more is kept as its text. */
export const EXACT_DIGITS = 15;
export const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
/** `ZEROS[n]`: n zeros, to pad a fraction to its scale. */
const ZEROS = Array.from({ length: 16 }, (_, n) => '0'.repeat(n));

/**
 * The canonical decimal text of a metric kept as `digits` and `scale` (digit for digit what was
 * validated; at most EXACT_DIGITS). Split by arithmetic, which is exact
 * here: below 2^53 a quotient that is not whole lies at least 1/10^scale from the next integer, more
 * than half its rounding step, so `Math.floor` finds the integer part, and the remainder is a
 * difference of exact integers. Twice as fast as cutting the digits' string (`RowTable.at` builds every
 * metric of the rows it gives out with it; the store keeps the digits themselves).
 */
export function metricText(digits: number, scale: number): string {
  if (scale === 0) return String(digits);
  const p = POW10[scale]!;
  const whole = Math.floor(digits / p);
  const fraction = String(digits - whole * p);
  return `${whole}.${fraction.length < scale ? ZEROS[scale - fraction.length]! + fraction : fraction}`;
}

/** A packed scale of 4 bits (see `RowFact.scales`) that means the metric is kept as its text. */
export const LONG_SCALE = 15;

/**
 * One row of a batch in the store's form: each metric as its digits (at most 15, exact in a double)
 * and its decimal scale, the five scales packed 4 bits each (impressions in the lowest); a metric
 * with more digits has scale `LONG_SCALE`, digits 0 and its text at its place in `long`.
 */
export interface RowFact {
  rowNumber: number;
  date: string;
  /** The row's finest entity: its number among the table's chains. */
  entity: number;
  impressions: number;
  clicks: number;
  spend: number;
  conversions: number;
  conversionValue: number;
  scales: number;
  /** The five metrics' texts where one has more than 15 digits (null elsewhere); null when none has. */
  long: (string | null)[] | null;
}

/**
 * Turns batches of one table back into rows, keeping the days of the batches before: the one
 * reading of the compact form (the store's `ValidatedRowWriter` writes through it). A row's entity is
 * the number of its chain among the batches' `entities`, in the order they were sent. `fn` is given
 * the same object for every row, filled afresh.
 */
export class RowBatchReader {
  private readonly days: string[] = [];

  forEachFact(batch: RowBatch, fn: (fact: RowFact) => void): void {
    for (const d of batch.days) this.days.push(d);
    const longs = batch.long.length === 0 ? null : new Map(batch.long);
    const fact: RowFact = {
      rowNumber: 0,
      date: '',
      entity: 0,
      impressions: 0,
      clicks: 0,
      spend: 0,
      conversions: 0,
      conversionValue: 0,
      scales: 0,
      long: null,
    };
    const { digits, scales } = batch;
    for (let i = batch.from; i < batch.to; i++) {
      const base = i * METRICS;
      fact.rowNumber = batch.rowNumbers[i]!;
      fact.date = this.days[batch.dayOf[i]!]!;
      fact.entity = batch.entityOf[i]!;
      fact.impressions = digits[base]!;
      fact.clicks = digits[base + 1]!;
      fact.spend = digits[base + 2]!;
      fact.conversions = digits[base + 3]!;
      fact.conversionValue = digits[base + 4]!;
      const s0 = scales[base]!;
      const s1 = scales[base + 1]!;
      const s2 = scales[base + 2]!;
      const s3 = scales[base + 3]!;
      const s4 = scales[base + 4]!;
      if ((s0 | s1 | s2 | s3 | s4) >= 0 && s0 < LONG_SCALE && s1 < LONG_SCALE && s2 < LONG_SCALE && s3 < LONG_SCALE && s4 < LONG_SCALE) {
        fact.scales = s0 | (s1 << 4) | (s2 << 8) | (s3 << 12) | (s4 << 16);
        fact.long = null;
      } else this.withLong(fact, base, longs, digits, scales);
      fn(fact);
    }
  }

  /** A row with a metric of more than 15 digits (or, never from a `RowTable`, a scale the packing has no room for). */
  private withLong(fact: RowFact, base: number, longs: Map<number, string> | null, digits: Float64Array, scales: Int8Array): void {
    const long: (string | null)[] = [null, null, null, null, null];
    let packed = 0;
    for (let m = 0; m < METRICS; m++) {
      const scale = scales[base + m]!;
      if (scale >= 0 && scale < LONG_SCALE) {
        packed |= scale << (4 * m);
        continue;
      }
      long[m] = scale < 0 ? longs!.get(base + m)! : metricText(digits[base + m]!, scale);
      packed |= LONG_SCALE << (4 * m);
    }
    fact.impressions = long[0] === null ? fact.impressions : 0;
    fact.clicks = long[1] === null ? fact.clicks : 0;
    fact.spend = long[2] === null ? fact.spend : 0;
    fact.conversions = long[3] === null ? fact.conversions : 0;
    fact.conversionValue = long[4] === null ? fact.conversionValue : 0;
    fact.scales = packed;
    fact.long = long;
  }
}

/**
 * A canonical metric's text as digits and scale, the inverse of `metricText`, or its scale
 * `LONG_SCALE` where it has more than 15 digits (its text is then kept as it is). For rows given one
 * by one; a `RowTable` splits its metrics as it sums them (`RowTable.store`).
 */
export function metricParts(text: string): { digits: number; scale: number } {
  const point = text.indexOf('.');
  const digitText = point < 0 ? text : text.slice(0, point) + text.slice(point + 1);
  const scale = point < 0 ? 0 : text.length - point - 1;
  if (digitText.length > EXACT_DIGITS || scale >= LONG_SCALE) return { digits: 0, scale: LONG_SCALE };
  return { digits: Number(digitText), scale };
}
