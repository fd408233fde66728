import type { CanonicalRow } from '../../shared/canonical.ts';
import type { CampaignSummary, SpendByDay } from '../../shared/ipc-contract.ts';
import { DecimalSum } from '../engine/validate/decimal.ts';

const DAY_MS = 86_400_000;
/** A range longer than this is not drawn day by day (the chart would be unreadable anyway). */
const MAX_DAYS = 3 * 366;

/**
 * Exact spend of the valid rows per calendar day, for every day from the first to the last date
 * (a day the file has no row for is listed with `rows: 0`, so the chart can show the gap).
 */
export function spendByDay(
  rows: Iterable<{ row: CanonicalRow }>,
  range: { from: string; to: string } | null,
  currency: string | null,
): SpendByDay {
  const sums = new Map<string, { sum: DecimalSum; rows: number }>();
  for (const { row } of rows) {
    let d = sums.get(row.date);
    if (!d) sums.set(row.date, (d = { sum: new DecimalSum(), rows: 0 }));
    d.sum.add(row.spend);
    d.rows++;
  }
  const dates = [...sums.keys()].sort();
  const from = range?.from ?? dates[0];
  const to = range?.to ?? dates[dates.length - 1];
  if (from === undefined || to === undefined) return { currency, days: [] };
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const days: SpendByDay['days'] = [];
  if ((end - start) / DAY_MS > MAX_DAYS) {
    for (const date of dates) days.push({ date, spend: sums.get(date)!.sum.toString(), rows: sums.get(date)!.rows });
    return { currency, days };
  }
  for (let t = start; t <= end; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    const d = sums.get(date);
    days.push({ date, spend: d ? d.sum.toString() : '0', rows: d?.rows ?? 0 });
  }
  return { currency, days };
}

/** The campaigns of the valid rows with their exact spend, highest spend first. */
export function campaignSummaries(rows: Iterable<{ row: CanonicalRow }>): CampaignSummary[] {
  const by = new Map<string, { name: string; rows: number; spend: DecimalSum; adSets: Set<string>; ads: Set<string> }>();
  for (const { row } of rows) {
    let c = by.get(row.campaign_external_id);
    if (!c)
      by.set(
        row.campaign_external_id,
        (c = { name: row.campaign_name, rows: 0, spend: new DecimalSum(), adSets: new Set(), ads: new Set() }),
      );
    c.rows++;
    c.spend.add(row.spend);
    if (row.ad_set_external_id !== undefined) c.adSets.add(row.ad_set_external_id);
    if (row.ad_external_id !== undefined) c.ads.add(row.ad_external_id);
  }
  return [...by.entries()]
    .map(([externalId, c]) => ({
      externalId,
      name: c.name,
      rows: c.rows,
      spend: c.spend.toString(),
      adSets: c.adSets.size,
      ads: c.ads.size,
    }))
    .sort((a, b) => Number(b.spend) - Number(a.spend) || a.name.localeCompare(b.name));
}
