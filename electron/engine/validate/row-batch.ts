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
 * difference of exact integers. Twice as fast as cutting the digits' string, for 500,000 metrics a file.
 */
export function metricText(digits: number, scale: number): string {
  if (scale === 0) return String(digits);
  const p = POW10[scale]!;
  const whole = Math.floor(digits / p);
  const fraction = String(digits - whole * p);
  return `${whole}.${fraction.length < scale ? ZEROS[scale - fraction.length]! + fraction : fraction}`;
}

/** One row of a batch: its row number, date, finest entity (its number among the table's chains) and metrics. */
export type RowFactCallback = (
  rowNumber: number,
  date: string,
  entity: number,
  impressions: string,
  clicks: string,
  spend: string,
  conversions: string,
  conversionValue: string,
) => void;

/**
 * Turns batches of one table back into rows, keeping the days of the batches before: the one
 * reading of the compact form (the store's `ValidatedRowWriter` writes through it). A row's entity is
 * the number of its chain among the batches' `entities`, in the order they were sent.
 */
export class RowBatchReader {
  private readonly days: string[] = [];

  forEachFact(batch: RowBatch, fn: RowFactCallback): void {
    for (const d of batch.days) this.days.push(d);
    const long = batch.long.length === 0 ? null : new Map(batch.long);
    const metric = (k: number) => {
      const scale = batch.scales[k]!;
      return scale < 0 ? long!.get(k)! : metricText(batch.digits[k]!, scale);
    };
    for (let i = batch.from; i < batch.to; i++) {
      const base = i * METRICS;
      const m0 = metric(base);
      const m1 = metric(base + 1);
      const m2 = metric(base + 2);
      const m3 = metric(base + 3);
      const m4 = metric(base + 4);
      fn(batch.rowNumbers[i]!, this.days[batch.dayOf[i]!]!, batch.entityOf[i]!, m0, m1, m2, m3, m4);
    }
  }
}
