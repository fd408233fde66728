import type Database from 'better-sqlite3';

/**
 * Per-day spend and per-campaign summaries of a validation's valid rows, aggregated by SQLite
 * itself: one row per day or campaign comes back, never every row.
 *
 * Amounts are stored as the canonical row's decimal strings (at most 40 characters: up to 40
 * integer digits or 38 fraction digits), which SQLite would sum as floating point (0.1 + 0.2 is
 * 0.30000000000000004). So each amount is cut, in SQL, into fixed-point chunks of 9 digits: the
 * integer part left-padded to 45 digits, the fraction right-padded to 45, ten chunks in all. Each
 * chunk is below 10^9, so the column sums of even millions of rows stay exact 64-bit integers;
 * `chunkedTotal` then carries the ten sums into one exact decimal string.
 */

const CHUNK_DIGITS = 9;
const CHUNKS_PER_PART = 5;
const PART_DIGITS = CHUNK_DIGITS * CHUNKS_PER_PART; // 45: room for every canonical amount
const ZEROS = '0'.repeat(PART_DIGITS);

/** The SQL of the ten chunk sums of a decimal-string column, named `<alias>0` … `<alias>9`. */
function chunkSums(column: 'spend', alias: string): string {
  const point = `instr(${column} || '.', '.')`;
  const int = `substr('${ZEROS}' || substr(${column}, 1, ${point} - 1), -${PART_DIGITS})`;
  const frac = `substr(substr(${column}, ${point} + 1) || '${ZEROS}', 1, ${PART_DIGITS})`;
  const sums: string[] = [];
  for (const [part, text] of [
    [0, int],
    [1, frac],
  ] as const) {
    for (let i = 0; i < CHUNKS_PER_PART; i++) {
      sums.push(`sum(cast(substr(${text}, ${1 + i * CHUNK_DIGITS}, ${CHUNK_DIGITS}) as integer)) as ${alias}${part * CHUNKS_PER_PART + i}`);
    }
  }
  return sums.join(',\n         ');
}

/** An exact total: the decimal value times 10^45, from the ten chunk sums of a row. */
export function chunkedTotal(row: Record<string, unknown>, alias: string): bigint {
  let total = 0n;
  for (let k = 0; k < 2 * CHUNKS_PER_PART; k++) {
    const sum = BigInt(row[`${alias}${k}`] as number | bigint);
    // Chunk k has weight 10^(45 + 45 - 9·(k+1)) in units of 10^-45.
    total += sum * 10n ** BigInt(2 * PART_DIGITS - CHUNK_DIGITS * (k + 1));
  }
  return total;
}

/** A total from `chunkedTotal` as the canonical decimal text: `0.3`, `152.734418`, `0`. */
export function totalText(total: bigint): string {
  const digits = total.toString().padStart(PART_DIGITS + 1, '0');
  const int = digits.slice(0, digits.length - PART_DIGITS);
  const frac = digits.slice(digits.length - PART_DIGITS).replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

export interface DaySpend {
  date: string;
  rows: number;
  spend: bigint;
}

/** Spend and row count per date of a validation's valid rows, by date. */
export function spendPerDay(db: Database.Database, validationId: string): DaySpend[] {
  const rows = db
    .prepare(
      `select date, count(*) as rows,
         ${chunkSums('spend', 's')}
       from validated_rows where validation_id = ? group by date order by date`,
    )
    .safeIntegers(true)
    .all(validationId) as Array<Record<string, unknown> & { date: string; rows: bigint }>;
  return rows.map((r) => ({ date: r.date, rows: Number(r.rows), spend: chunkedTotal(r, 's') }));
}

export interface CampaignSpend {
  externalId: string;
  name: string;
  rows: number;
  adSets: number;
  ads: number;
  spend: bigint;
}

/** Each campaign of a validation's valid rows: its name in its first row, rows, ad sets, ads and spend. */
export function spendPerCampaign(db: Database.Database, validationId: string): CampaignSpend[] {
  // `campaign_name` next to `min(row_number)` is the name in the campaign's first row: SQLite documents
  // that a bare column in an aggregate query with a single min() or max() takes its value from the row
  // holding that min or max.
  const rows = db
    .prepare(
      `select campaign_external_id, campaign_name, min(row_number) as first_row, count(*) as rows,
         count(distinct case when ad_set_name is not null then ad_set_external_id end) as ad_sets,
         count(distinct case when ad_name is not null then ad_external_id end) as ads,
         ${chunkSums('spend', 's')}
       from validated_rows where validation_id = ? group by campaign_external_id order by first_row`,
    )
    .safeIntegers(true)
    .all(validationId) as Array<
    Record<string, unknown> & { campaign_external_id: string; campaign_name: string; rows: bigint; ad_sets: bigint; ads: bigint }
  >;
  return rows.map((r) => ({
    externalId: r.campaign_external_id,
    name: r.campaign_name,
    rows: Number(r.rows),
    adSets: Number(r.ad_sets),
    ads: Number(r.ads),
    spend: chunkedTotal(r, 's'),
  }));
}
