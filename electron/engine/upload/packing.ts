import type { CanonicalRow } from '../../../shared/canonical.ts';

/** One canonical row with its spreadsheet row number, as staging_rows holds it. */
export interface StagedRow {
  row_number: number;
  payload: CanonicalRow;
}

/**
 * A batch of rows packed for `stage_batch` (supabase/migrations/040_stage_packed_batch.sql): each
 * campaign, ad set, ad, date and currency once, and each row one line of numbers referring to them.
 * About a tenth of the bytes of the same rows as keyed JSON objects.
 */
export interface PackedBatch {
  campaigns: Array<[string, string]>;
  ad_sets?: Array<[string, string, number]>;
  ads?: Array<[string, string, number]>;
  dates: string[];
  currencies?: string[];
  /** `row number,date,entity,impressions,clicks,spend,conversions,conversion value[,currency]` lines, `;`-separated. */
  rows: string;
}

export interface StageBatch {
  batchNo: number;
  rowCount: number;
  /** Bytes of the batch as JSON (what the request body carries). */
  bytes: number;
  packed: PackedBatch;
}

export interface PackLimits {
  /** A batch closes before its JSON would exceed this many bytes (unless it holds one row). */
  maxBytes: number;
  /** And before it would hold more rows than this (the server takes at most 5,000). */
  maxRows: number;
}

const bytesOf = (s: string) => Buffer.byteLength(s, 'utf8');
// Separators of the rows text: neither needs escaping in JSON, and no canonical value contains one.
const FIELD = ',';
const LINE = ';';
const PLAIN = /^[0-9.]+$/;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order rows are staged in: by campaign, ad set and ad, then row number, so a batch names few
 * entities however the file was sorted (an export sorted by day repeats every ad on every day).
 * Plain code-unit comparison: the same rows always give the same batches, on any machine.
 */
export function stagingOrder(rows: StagedRow[]): StagedRow[] {
  return [...rows].sort(
    (x, y) =>
      compare(x.payload.campaign_external_id, y.payload.campaign_external_id) ||
      compare(x.payload.ad_set_external_id ?? '', y.payload.ad_set_external_id ?? '') ||
      compare(x.payload.ad_external_id ?? '', y.payload.ad_external_id ?? '') ||
      x.row_number - y.row_number,
  );
}

/** One list of a batch (campaigns, ad sets, ads, dates, currencies): each distinct item once. */
class List<T> {
  private readonly seen = new Map<string, number>();
  readonly items: T[] = [];
  /** The item's index, and the JSON bytes adding it would cost (0 when it is in the list). */
  probe(key: string, item: () => T): { index: number; bytes: number } {
    const known = this.seen.get(key);
    if (known !== undefined) return { index: known, bytes: 0 };
    return { index: this.items.length, bytes: bytesOf(JSON.stringify(item())) + 1 };
  }
  add(key: string, item: () => T): number {
    let i = this.seen.get(key);
    if (i === undefined) {
      i = this.items.length;
      this.seen.set(key, i);
      this.items.push(item());
    }
    return i;
  }
}

/** Builds one batch, knowing exactly what each further row would add to its size. */
class BatchBuilder {
  private readonly campaigns = new List<[string, string]>();
  private readonly adSets = new List<[string, string, number]>();
  private readonly ads = new List<[string, string, number]>();
  private readonly dates = new List<string>();
  private readonly currencies = new List<string>();
  private readonly lines: string[] = [];
  // {"campaigns":[],"dates":[],"rows":""}, the other lists' keys counted when they first appear
  bytes = 37;

  get rowCount(): number {
    return this.lines.length;
  }

  /** The last row `cost` placed, its line and the list entries it would add, for `add` to reuse. */
  private placed: { r: StagedRow; line: string; entries: Array<() => void> } | null = null;

  /** The row's line and list entries, and the bytes they add (written only by `add`). */
  private place(r: StagedRow, write: boolean): { line: string; bytes: number; entries: Array<() => void> } {
    const p = r.payload;
    let bytes = 0;
    const entries: Array<() => void> = [];
    const put = <T>(list: List<T>, key: string, item: () => T, listKey: string): number => {
      if (write) return list.add(key, item);
      const probe = list.probe(key, item);
      if (probe.bytes > 0) entries.push(() => list.add(key, item));
      // the first entry of a list drops one comma; an optional list adds its key
      if (probe.bytes > 0)
        bytes += probe.bytes - (list.items.length === 0 ? 1 : 0) + (list.items.length === 0 && listKey ? listKey.length + 6 : 0);
      return probe.index;
    };
    const campaignKey = `${p.campaign_external_id}\u0000${p.campaign_name}`;
    const c = put(this.campaigns, campaignKey, () => [p.campaign_external_id, p.campaign_name], '');
    let leaf = c;
    if (p.ad_set_external_id !== undefined && p.ad_set_name !== undefined) {
      const setKey = `${p.ad_set_external_id}\u0000${p.ad_set_name}\u0000${campaignKey}`;
      const s = put(this.adSets, setKey, () => [p.ad_set_external_id as string, p.ad_set_name as string, c], 'ad_sets');
      leaf = s;
      if (p.ad_external_id !== undefined && p.ad_name !== undefined) {
        leaf = put(
          this.ads,
          `${p.ad_external_id}\u0000${p.ad_name}\u0000${setKey}`,
          () => [p.ad_external_id as string, p.ad_name as string, s],
          'ads',
        );
      }
    }
    const d = put(this.dates, p.date, () => p.date, '');
    const metrics = [p.impressions, p.clicks, p.spend, p.conversions, p.conversion_value];
    for (const m of metrics) {
      // Validation guarantees decimal text; anything else would corrupt the line, so stop loudly.
      if (!PLAIN.test(m)) throw new Error(`row ${r.row_number}: metric ${JSON.stringify(m)} is not decimal text`);
    }
    const fields = [String(r.row_number), String(d), String(leaf), ...metrics];
    if (p.currency !== undefined) fields.push(String(put(this.currencies, p.currency, () => p.currency as string, 'currencies')));
    const line = fields.join(FIELD);
    return { line, bytes: bytes + line.length + (this.lines.length > 0 ? 1 : 0), entries };
  }

  /** Bytes this row would add, without adding it. */
  cost(r: StagedRow): number {
    const placed = this.place(r, false);
    this.placed = { r, line: placed.line, entries: placed.entries };
    return placed.bytes;
  }

  /** Adds the row; when it is the row `cost` just placed, from that placement (the indexes it probed are the ones adding gives). */
  add(r: StagedRow, cost: number): void {
    if (this.placed?.r === r) {
      for (const enter of this.placed.entries) enter();
      this.lines.push(this.placed.line);
    } else {
      this.lines.push(this.place(r, true).line);
    }
    this.placed = null;
    this.bytes += cost;
  }

  finish(batchNo: number): StageBatch {
    // Keys in the order the size was counted in (JSON.stringify keeps insertion order).
    const packed: PackedBatch = {
      campaigns: this.campaigns.items,
      ...(this.adSets.items.length > 0 ? { ad_sets: this.adSets.items } : {}),
      ...(this.ads.items.length > 0 ? { ads: this.ads.items } : {}),
      dates: this.dates.items,
      ...(this.currencies.items.length > 0 ? { currencies: this.currencies.items } : {}),
      rows: this.lines.join(LINE),
    };
    return { batchNo, rowCount: this.lines.length, bytes: bytesOf(JSON.stringify(packed)), packed };
  }
}

/**
 * Cuts rows (already in staging order) into packed batches, each as large as the limits allow.
 * Deterministic: the same rows and limits always give the same batches with the same numbers, which
 * is what lets a resumed upload skip exactly the batches the server has.
 */
export function* packBatches(ordered: StagedRow[], limits: PackLimits): Generator<StageBatch> {
  let batch = new BatchBuilder();
  let batchNo = 0;
  for (const r of ordered) {
    let cost = batch.cost(r);
    if (batch.rowCount > 0 && (batch.rowCount >= limits.maxRows || batch.bytes + cost > limits.maxBytes)) {
      yield batch.finish(batchNo++);
      batch = new BatchBuilder();
      cost = batch.cost(r);
    }
    batch.add(r, cost);
  }
  if (batch.rowCount > 0) yield batch.finish(batchNo);
}
