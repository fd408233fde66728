import type { CampaignSummary, SpendByDay } from '../../shared/ipc-contract.ts';
import type { Store } from './store/open.ts';
import { spendPerCampaign, spendPerDay, totalText } from './store/summaries.ts';

const DAY_MS = 86_400_000;
/** A range longer than this is not drawn day by day (the chart would be unreadable anyway). */
const MAX_DAYS = 3 * 366;

/**
 * Exact spend of a validation's valid rows per calendar day, for every day from the first to the
 * last date of `range` (else of the rows): a day without rows is listed with `rows: 0`, so the
 * chart shows the gap. Summed in the store (store/summaries.ts), never row by row here.
 */
export function spendByDay(
  db: Store,
  validationId: string,
  range: { from: string; to: string } | null,
  currency: string | null,
): SpendByDay {
  const sums = new Map(spendPerDay(db, validationId).map((d) => [d.date, d]));
  const dates = [...sums.keys()];
  const from = range?.from ?? dates[0];
  const to = range?.to ?? dates[dates.length - 1];
  if (from === undefined || to === undefined) return { currency, days: [] };
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if ((end - start) / DAY_MS > MAX_DAYS) {
    return { currency, days: [...sums.values()].map((d) => ({ date: d.date, spend: totalText(d.spend), rows: d.rows })) };
  }
  const days: SpendByDay['days'] = [];
  for (let t = start; t <= end; t += DAY_MS) {
    const date = new Date(t).toISOString().slice(0, 10);
    const d = sums.get(date);
    days.push({ date, spend: d ? totalText(d.spend) : '0', rows: d?.rows ?? 0 });
  }
  return { currency, days };
}

/** The campaigns of a validation's valid rows with their exact spend, highest spend first (compared exactly). */
export function campaignSummaries(db: Store, validationId: string): CampaignSummary[] {
  return spendPerCampaign(db, validationId)
    .sort((a, b) => (a.spend === b.spend ? a.name.localeCompare(b.name) : a.spend > b.spend ? -1 : 1))
    .map((c) => ({ externalId: c.externalId, name: c.name, rows: c.rows, spend: totalText(c.spend), adSets: c.adSets, ads: c.ads }));
}
