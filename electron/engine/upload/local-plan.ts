import type { CanonicalRow, Level } from '../../../shared/canonical.ts';
import type { Plan, PlanCounts } from '../../../shared/report.ts';
import type { KnownFact, LocalKnowledge } from '../store/local-mirror.ts';
import { normaliseDecimal } from '../validate/decimal.ts';

/** The grain of `daily_metrics` in external ids: date, campaign, ad set, ad. */
export function factKey(row: CanonicalRow): string {
  return [row.date, row.campaign_external_id, row.ad_set_external_id ?? '', row.ad_external_id ?? ''].join('\u0001');
}

/** Decimal strings compare equal when their values are equal: `1.50` is `1.5`. */
export function sameDecimal(a: string, b: string): boolean {
  const canonical = (s: string) => {
    const [int = '', frac = ''] = s.split('.');
    return normaliseDecimal(int, frac);
  };
  return canonical(a) === canonical(b);
}

export function sameFact(row: CanonicalRow, known: KnownFact): boolean {
  return (
    sameDecimal(row.impressions, known.impressions) &&
    sameDecimal(row.clicks, known.clicks) &&
    sameDecimal(row.spend, known.spend) &&
    sameDecimal(row.conversions, known.conversions) &&
    sameDecimal(row.conversion_value, known.conversion_value)
  );
}

function zero(): PlanCounts {
  return { create: 0, update: 0, unchanged: 0 };
}

/**
 * The dry run offline: what the upload would change, judged against what this computer uploaded
 * before. It cannot see uploads made from other computers, which is why the plan says `local`.
 */
export function computeLocalPlan(rows: Iterable<CanonicalRow>, known: LocalKnowledge): Plan {
  const plan: Plan = { source: 'local', campaigns: zero(), adSets: zero(), ads: zero(), facts: zero() };
  const seen = { campaign: new Set<string>(), ad_set: new Set<string>(), ad: new Set<string>() };
  const bucket = { campaign: plan.campaigns, ad_set: plan.adSets, ad: plan.ads };
  const judgeEntity = (type: Level, id: string, name: string, parent: string | null) => {
    if (seen[type].has(id)) return;
    seen[type].add(id);
    const k = known.entity(type, id);
    const counts = bucket[type];
    if (!k) counts.create++;
    else if (k.name !== name || k.parentExternalId !== parent) counts.update++;
    else counts.unchanged++;
  };
  for (const row of rows) {
    judgeEntity('campaign', row.campaign_external_id, row.campaign_name, null);
    if (row.ad_set_external_id !== undefined && row.ad_set_name !== undefined) {
      judgeEntity('ad_set', row.ad_set_external_id, row.ad_set_name, row.campaign_external_id);
    }
    if (row.ad_external_id !== undefined && row.ad_name !== undefined) {
      judgeEntity('ad', row.ad_external_id, row.ad_name, row.ad_set_external_id ?? null);
    }
    const f = known.fact(factKey(row));
    if (!f) plan.facts.create++;
    else if (sameFact(row, f)) plan.facts.unchanged++;
    else plan.facts.update++;
  }
  return plan;
}
