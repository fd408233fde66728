import type { CanonicalRow, Level } from '../../../shared/canonical.ts';
import { DecimalSum } from './decimal.ts';
import type { Entity } from './entities.ts';
import { EXACT_DIGITS, METRICS, POW10, metricText, type BatchCursor, type EntityChain, type RowBatch } from './row-batch.ts';

/** A valid canonical row and its spreadsheet row number. */
export interface ValidatedRow {
  rowNumber: number;
  row: CanonicalRow;
}

/**
 * Told of a table's rows while they are pushed (recording them on another thread meanwhile): a new
 * table is a new pass over the file, whose rows replace those of any table before.
 */
export interface RowTableListener {
  /** Rows are pushed in runs of this many; `filled` is called after each run. */
  readonly rowsPerRun: number;
  opened(table: RowTable): void;
  filled(table: RowTable): void;
}

/** Rows a table has room for at first (more with a larger `capacity`). */
const MIN_CAPACITY = 1024;

/**
 * The valid rows of a file, held compactly until someone asks for them: row numbers and the five
 * metrics in typed arrays (each metric as its digits and a decimal scale, exactly), the date and the
 * finest entity as references to strings and objects every row of that day or entity shares. Keeping
 * 100,000 rows this way costs a few megabytes and no per-row objects for the garbage collector to
 * copy; `at(i)` builds the canonical row, digit for digit what was validated.
 */
export class RowTable implements Iterable<ValidatedRow> {
  length = 0;
  private rowNumbers: Int32Array;
  private digits: Float64Array;
  private scales: Int8Array;
  /** Each row's finest entity and date, as numbers into `entities` and `days`. */
  private entityOf: Int32Array;
  private dayOf: Int32Array;
  private readonly entities: Entity[] = [];
  private readonly days: string[] = [];
  private readonly dayNumbers = new Map<string, number>();
  private lastDay: string | null = null;
  private lastDayNumber = -1;
  /** Metrics with more digits than a double holds exactly, by `row * 5 + metric`. */
  private readonly long = new Map<number, string>();
  /** Exact totals of the five metrics over the rows pushed, in canonical-row order. */
  readonly sums = [new DecimalSum(), new DecimalSum(), new DecimalSum(), new DecimalSum(), new DecimalSum()] as const;

  private nextRun: number;

  /**
   * `capacity`: the rows expected (an estimate from the file's size). Room for them is taken at once,
   * so a large file's rows are not copied from array to array as the table doubles, and its memory is
   * written once; more rows still fit (the table grows), and room never used is never touched.
   */
  constructor(
    readonly level: Level,
    readonly currency: string | null,
    private readonly listener: RowTableListener | null = null,
    capacity = MIN_CAPACITY,
  ) {
    const size = Number.isFinite(capacity) ? Math.max(MIN_CAPACITY, Math.ceil(capacity)) : MIN_CAPACITY;
    this.rowNumbers = shared(Int32Array, size);
    this.digits = shared(Float64Array, size * METRICS);
    this.scales = shared(Int8Array, size * METRICS);
    this.entityOf = shared(Int32Array, size);
    this.dayOf = shared(Int32Array, size);
    this.nextRun = listener?.rowsPerRun ?? -1;
    listener?.opened(this);
  }

  /** Adds a row; the metrics are canonical decimal strings, in canonical-row order. */
  push(
    rowNumber: number,
    finest: Entity,
    date: string,
    impressions: string,
    clicks: string,
    spend: string,
    conversions: string,
    conversionValue: string,
  ): void {
    const i = this.length;
    if (i === this.rowNumbers.length) this.grow();
    this.rowNumbers[i] = rowNumber;
    if (finest.slotIn !== this) {
      finest.slotIn = this;
      finest.slot = this.entities.length;
      this.entities.push(finest);
    }
    this.entityOf[i] = finest.slot;
    // Rows come grouped by day: the day of the row before is the likeliest.
    if (date !== this.lastDay) {
      let d = this.dayNumbers.get(date);
      if (d === undefined) {
        d = this.days.length;
        this.days.push(date);
        this.dayNumbers.set(date, d);
      }
      this.lastDay = date;
      this.lastDayNumber = d;
    }
    this.dayOf[i] = this.lastDayNumber;
    const base = i * METRICS;
    this.store(base, 0, impressions);
    this.store(base + 1, 1, clicks);
    this.store(base + 2, 2, spend);
    this.store(base + 3, 3, conversions);
    this.store(base + 4, 4, conversionValue);
    this.length = i + 1;
    if (this.length === this.nextRun) {
      this.nextRun += this.listener!.rowsPerRun;
      this.listener!.filled(this);
    }
  }

  at(i: number): ValidatedRow {
    if (i < 0 || i >= this.length) throw new RangeError(`row ${i} of ${this.length}`);
    const base = i * METRICS;
    const e = this.entities[this.entityOf[i]!]!;
    const date = this.days[this.dayOf[i]!]!;
    const impressions = this.load(base);
    const clicks = this.load(base + 1);
    const spend = this.load(base + 2);
    const conversions = this.load(base + 3);
    const conversion_value = this.load(base + 4);
    let row: CanonicalRow;
    if (this.level === 'ad') {
      const adSet = e.parent!;
      const c = adSet.parent!;
      row = {
        date,
        campaign_external_id: c.id,
        campaign_name: c.name,
        ad_set_external_id: adSet.id,
        ad_set_name: adSet.name,
        ad_external_id: e.id,
        ad_name: e.name,
        impressions,
        clicks,
        spend,
        conversions,
        conversion_value,
      };
    } else if (this.level === 'ad_set') {
      const c = e.parent!;
      row = {
        date,
        campaign_external_id: c.id,
        campaign_name: c.name,
        ad_set_external_id: e.id,
        ad_set_name: e.name,
        impressions,
        clicks,
        spend,
        conversions,
        conversion_value,
      };
    } else {
      row = { date, campaign_external_id: e.id, campaign_name: e.name, impressions, clicks, spend, conversions, conversion_value };
    }
    if (this.currency !== null) row.currency = this.currency;
    return { rowNumber: this.rowNumbers[i]!, row };
  }

  /**
   * The rows, entities and days after `cursor` as a batch, and the cursor moved past them.
   * `RowBatchReader` reads a table's batches back in order. The batch's arrays are the table's own
   * (in shared memory: posted to another thread, they are shared, not copied); the rows in it are
   * never written again.
   */
  batch(cursor: BatchCursor): RowBatch {
    const from = cursor.rows;
    const to = this.length;
    const long: [number, string][] = [];
    for (const [k, text] of this.long) if (k >= from * METRICS && k < to * METRICS) long.push([k, text]);
    const entities = this.entities.slice(cursor.entities).map(chainOf);
    const days = this.days.slice(cursor.days);
    cursor.rows = to;
    cursor.entities = this.entities.length;
    cursor.days = this.days.length;
    return {
      from,
      to,
      rowNumbers: this.rowNumbers,
      digits: this.digits,
      scales: this.scales,
      long,
      entityOf: this.entityOf,
      dayOf: this.dayOf,
      entities,
      days,
    };
  }

  *[Symbol.iterator](): Iterator<ValidatedRow> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /** Each row's finest entity, date and spreadsheet row number, in order. */
  forEachRow(fn: (finest: Entity, date: string, rowNumber: number) => void): void {
    for (let i = 0; i < this.length; i++) fn(this.entities[this.entityOf[i]!]!, this.days[this.dayOf[i]!]!, this.rowNumbers[i]!);
  }

  toArray(): ValidatedRow[] {
    const out = new Array<ValidatedRow>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.at(i);
    return out;
  }

  /** Keeps metric `m` of a row (at `k`) as digits and scale, and adds it to its total (one read of the text for both). */
  private store(k: number, m: number, value: string): void {
    let int = 0;
    let frac = 0;
    let fracLen = -1;
    let count = 0;
    for (let j = 0; j < value.length; j++) {
      const c = value.charCodeAt(j);
      if (c === 46) fracLen = 0;
      else {
        count++;
        if (fracLen < 0) int = int * 10 + (c - 48);
        else {
          frac = frac * 10 + (c - 48);
          fracLen++;
        }
      }
    }
    if (fracLen < 0) fracLen = 0;
    const sum = this.sums[m]!;
    if (count > EXACT_DIGITS) {
      this.long.set(k, value);
      this.scales[k] = -1;
      sum.add(value);
      return;
    }
    this.digits[k] = int * POW10[fracLen]! + frac;
    this.scales[k] = fracLen;
    if (fracLen <= 9) sum.addParts(int, frac, fracLen);
    else sum.add(value);
  }

  private load(k: number): string {
    const scale = this.scales[k]!;
    return scale < 0 ? this.long.get(k)! : metricText(this.digits[k]!, scale);
  }

  /** Room for twice the rows, in new arrays: batches handed out keep the old ones, which are never written again. */
  private grow(): void {
    const size = this.rowNumbers.length * 2;
    const rowNumbers = shared(Int32Array, size);
    rowNumbers.set(this.rowNumbers);
    this.rowNumbers = rowNumbers;
    const digits = shared(Float64Array, size * METRICS);
    digits.set(this.digits);
    this.digits = digits;
    const scales = shared(Int8Array, size * METRICS);
    scales.set(this.scales);
    this.scales = scales;
    const entityOf = shared(Int32Array, size);
    entityOf.set(this.entityOf);
    this.entityOf = entityOf;
    const dayOf = shared(Int32Array, size);
    dayOf.set(this.dayOf);
    this.dayOf = dayOf;
  }
}

/** A typed array of `length` zeros in shared memory (a batch of its rows goes to another thread without a copy). */
function shared<T extends Int8Array | Int32Array | Float64Array>(
  Kind: { new (buffer: SharedArrayBuffer): T; readonly BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new Kind(new SharedArrayBuffer(length * Kind.BYTES_PER_ELEMENT));
}

/** A finest entity's ids and names down from its campaign. */
function chainOf(e: Entity): EntityChain {
  if (e.parent === null) return [e.id, e.name, null, null, null, null];
  const p = e.parent;
  if (p.parent === null) return [p.id, p.name, e.id, e.name, null, null];
  return [p.parent.id, p.parent.name, p.id, p.name, e.id, e.name];
}
