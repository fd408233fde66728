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

/** Bits of each metric's scale in `RowFact.scales` (impressions in the lowest). */
export const SCALE_BITS = 4;
/** A packed scale (see `RowFact.scales`) that means the metric is kept as its text. */
export const LONG_SCALE = 15;

/**
 * One row of a batch in the store's form: each metric as its digits (at most 15, exact in a double)
 * and its decimal scale, the five scales packed `SCALE_BITS` each; a metric with more digits has
 * scale `LONG_SCALE`, digits 0 and its text at its place in `long`.
 */
export interface RowFact {
  rowNumber: number;
  date: string;
  /** The row's finest entity: its number among the table's chains. */
  entity: number;
  /** The five metrics' digits, in canonical-row order. */
  digits: number[];
  scales: number;
  /** The five metrics' texts where one has more than 15 digits (null elsewhere); null when none has. */
  long: (string | null)[] | null;
}

export function emptyRowFact(): RowFact {
  return { rowNumber: 0, date: '', entity: 0, digits: [0, 0, 0, 0, 0], scales: 0, long: null };
}

/**
 * Packs the five metrics' scales into `fact.scales` (their digits already in `fact.digits`). A
 * metric whose scale does not fit (-1: more than 15 digits) is kept as `text(m)` in `fact.long`.
 */
function packScales(fact: RowFact, scale: (m: number) => number, text: (m: number) => string): void {
  let packed = 0;
  let long: (string | null)[] | null = null;
  for (let m = 0; m < METRICS; m++) {
    let s = scale(m);
    if (s < 0 || s >= LONG_SCALE) {
      long ??= [null, null, null, null, null];
      long[m] = text(m);
      fact.digits[m] = 0;
      s = LONG_SCALE;
    }
    packed |= s << (SCALE_BITS * m);
  }
  fact.scales = packed;
  fact.long = long;
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
    const { digits, scales } = batch;
    const fact = emptyRowFact();
    let base = 0;
    const scaleAt = (m: number) => scales[base + m]!;
    const textAt = (m: number) => {
      const k = base + m;
      return scales[k]! < 0 ? longs!.get(k)! : metricText(digits[k]!, scales[k]!);
    };
    for (let i = batch.from; i < batch.to; i++) {
      base = i * METRICS;
      fact.rowNumber = batch.rowNumbers[i]!;
      fact.date = this.days[batch.dayOf[i]!]!;
      fact.entity = batch.entityOf[i]!;
      for (let m = 0; m < METRICS; m++) fact.digits[m] = digits[base + m]!;
      packScales(fact, scaleAt, textAt);
      fn(fact);
    }
  }
}

/** Fills `fact`'s metrics from five canonical decimal texts (rows given one by one, not from a `RowTable`). */
export function setFactMetrics(fact: RowFact, texts: readonly string[]): void {
  const parts = texts.map(metricParts);
  for (let m = 0; m < METRICS; m++) fact.digits[m] = parts[m]!.digits;
  packScales(
    fact,
    (m) => parts[m]!.scale,
    (m) => texts[m]!,
  );
}

/**
 * A canonical metric's text as digits and scale, the inverse of `metricText`; scale -1 where it has
 * more digits than a double holds (its text is then kept as it is), as in a `RowTable`, which splits
 * its metrics as it sums them (`RowTable.store`).
 */
export function metricParts(text: string): { digits: number; scale: number } {
  const point = text.indexOf('.');
  const digitText = point < 0 ? text : text.slice(0, point) + text.slice(point + 1);
  if (digitText.length > EXACT_DIGITS) return { digits: 0, scale: -1 };
  return { digits: Number(digitText), scale: point < 0 ? 0 : text.length - point - 1 };
}
