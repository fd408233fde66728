import type { Platform } from './canonical.ts';

/*
 * The mappable fields' names and labels as plain data, without zod, so the command line's help
 * (which lists them) loads without the schemas. `mapping.ts` builds its schemas from them and
 * re-exports them.
 */

/**
 * The fields a column can be mapped to, as `metricdrop validate --map FIELD=HEADER` and saved
 * mappings name them (docs/cli.md). They are the canonical row's names, except that a platform's
 * id of a campaign, ad set or ad is `campaign_id`, `ad_set_id`, `ad_id` here and
 * `campaign_external_id` … in the canonical row and the database. The names are part of the
 * command line's contract and of every mapping saved, so they stay.
 */
export const MAPPABLE_FIELDS = [
  'date',
  'campaign_name',
  'campaign_id',
  'ad_set_name',
  'ad_set_id',
  'ad_name',
  'ad_id',
  'impressions',
  'clicks',
  'spend',
  'conversions',
  'conversion_value',
  'currency',
] as const;
/** What the values of a field's column must be. */
export type FieldKind = 'date' | 'text' | 'count' | 'amount' | 'currency';

export const FIELD_INFO: Record<(typeof MAPPABLE_FIELDS)[number], { label: string; kind: FieldKind }> = {
  date: { label: 'Day', kind: 'date' },
  campaign_name: { label: 'Campaign name', kind: 'text' },
  campaign_id: { label: 'Campaign ID', kind: 'text' },
  ad_set_name: { label: 'Ad set / ad group name', kind: 'text' },
  ad_set_id: { label: 'Ad set / ad group ID', kind: 'text' },
  ad_name: { label: 'Ad name', kind: 'text' },
  ad_id: { label: 'Ad ID', kind: 'text' },
  impressions: { label: 'Impressions', kind: 'count' },
  clicks: { label: 'Clicks', kind: 'count' },
  spend: { label: 'Spend', kind: 'amount' },
  conversions: { label: 'Conversions', kind: 'amount' },
  conversion_value: { label: 'Conversion value', kind: 'amount' },
  currency: { label: 'Currency', kind: 'currency' },
};

export const PLATFORM_LABEL: Record<Platform, string> = { meta: 'Meta Ads Manager', google: 'Google Ads', tiktok: 'TikTok Ads Manager' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `3 Dec 2026` (the UTC calendar day of an ISO timestamp). */
export function confirmedDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}
