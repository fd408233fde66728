import type Database from 'better-sqlite3';
import { LONG_SCALE } from '../validate/row-batch.ts';
import { factScaleSql } from './validated-rows.ts';

/**
 * Per-day spend and per-campaign summaries of a validation's valid rows, aggregated by SQLite
 * itself: a few rows per day or campaign come back, never every row.
 *
 * Each row's spend is kept as its digits (at most 15) and decimal scale (local store 007). SQLite sums
 * integers exactly, so the digits are summed per scale, cut in two below 10^9 (a sum of millions of
 * rows stays far inside 64 bits), and the sums are carried into one exact total here, in units of
 * 10^-45 (room for every canonical amount: at most 40 integer and 38 fraction digits). The rare spend
 * of more than 15 digits is kept as its text and added as written.
 */

const UNIT_DIGITS = 45;
const SPLIT = 1_000_000_000;
const SPEND = 2;

/** One group's sums of spend at one scale, and the long spends' texts (space-separated). */
interface ScaleSums {
  scale: bigint;
  hi: bigint | null;
  lo: bigint | null;
  long: string | null;
}

/** The SQL of one group's spend sums, grouped by `scale` (add it to the group by). */
const SPEND_SUMS = `${factScaleSql('f', SPEND)} as scale,
         sum(f.spend / ${SPLIT}) as hi, sum(f.spend % ${SPLIT}) as lo,
         group_concat(case when ${factScaleSql('f', SPEND)} = ${LONG_SCALE} then f.long ->> ${SPEND} end, ' ') as long`;

/** A group's exact spend at one scale, in units of 10^-45. */
function unitsOf(s: ScaleSums): bigint {
  let total = 0n;
  if (s.scale !== BigInt(LONG_SCALE)) {
    const digits = (s.hi ?? 0n) * BigInt(SPLIT) + (s.lo ?? 0n);
    total += digits * 10n ** BigInt(UNIT_DIGITS - Number(s.scale));
  }
  for (const text of s.long?.split(' ') ?? []) total += textUnits(text);
  return total;
}

/** A canonical decimal text in units of 10^-45. */
function textUnits(text: string): bigint {
  const point = text.indexOf('.');
  if (point < 0) return BigInt(text) * 10n ** BigInt(UNIT_DIGITS);
  return BigInt(text.slice(0, point)) * 10n ** BigInt(UNIT_DIGITS) + BigInt(text.slice(point + 1).padEnd(UNIT_DIGITS, '0'));
}

/** A total from the sums above as the canonical decimal text: `0.3`, `152.734418`, `0`. */
export function totalText(total: bigint): string {
  const digits = total.toString().padStart(UNIT_DIGITS + 1, '0');
  const int = digits.slice(0, digits.length - UNIT_DIGITS);
  const frac = digits.slice(digits.length - UNIT_DIGITS).replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

export interface DaySpend {
  date: string;
  rows: number;
  /** In units of 10^-45 (`totalText` writes it). */
  spend: bigint;
}

/** Spend and row count per date of a validation's valid rows, by date. */
export function spendPerDay(db: Database.Database, validationId: string): DaySpend[] {
  const groups = db
    .prepare(
      `select f.date, count(*) as rows, ${SPEND_SUMS}
         from validated_facts f join validation_row_sets s on s.key = f.row_set
        where s.validation_id = ? group by f.date, scale order by f.date`,
    )
    .safeIntegers(true)
    .all(validationId) as (ScaleSums & { date: string; rows: bigint })[];
  const days = new Map<string, DaySpend>();
  for (const g of groups) {
    const day = days.get(g.date) ?? { date: g.date, rows: 0, spend: 0n };
    day.rows += Number(g.rows);
    day.spend += unitsOf(g);
    days.set(g.date, day);
  }
  return [...days.values()];
}

export interface CampaignSpend {
  externalId: string;
  name: string;
  rows: number;
  adSets: number;
  ads: number;
  /** In units of 10^-45 (`totalText` writes it). */
  spend: bigint;
}

/** Each campaign of a validation's valid rows: its name in its first row, rows, ad sets, ads and spend. */
export function spendPerCampaign(db: Database.Database, validationId: string): CampaignSpend[] {
  const facts = `validated_facts f join validation_row_sets s on s.key = f.row_set
         join validated_entities e on e.row_set = f.row_set and e.number = f.entity`;
  // `campaign_name` next to `min(row_number)` is the name in the campaign's first row: SQLite documents
  // that a bare column in an aggregate query with a single min() or max() takes its value from the row
  // holding that min or max.
  const campaigns = db
    .prepare(
      `select e.campaign_external_id, e.campaign_name, min(f.row_number) as first_row, count(*) as rows,
         count(distinct case when e.ad_set_name is not null then e.ad_set_external_id end) as ad_sets,
         count(distinct case when e.ad_name is not null then e.ad_external_id end) as ads
       from ${facts} where s.validation_id = ? group by e.campaign_external_id order by first_row`,
    )
    .all(validationId) as { campaign_external_id: string; campaign_name: string; rows: number; ad_sets: number; ads: number }[];
  const spends = db
    .prepare(`select e.campaign_external_id, ${SPEND_SUMS} from ${facts} where s.validation_id = ? group by e.campaign_external_id, scale`)
    .safeIntegers(true)
    .all(validationId) as (ScaleSums & { campaign_external_id: string })[];
  const spend = new Map<string, bigint>();
  for (const g of spends) spend.set(g.campaign_external_id, (spend.get(g.campaign_external_id) ?? 0n) + unitsOf(g));
  return campaigns.map((c) => ({
    externalId: c.campaign_external_id,
    name: c.campaign_name,
    rows: c.rows,
    adSets: c.ad_sets,
    ads: c.ads,
    spend: spend.get(c.campaign_external_id) ?? 0n,
  }));
}
