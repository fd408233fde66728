import { MAPPABLE_FIELDS, type MappableField } from '../../../shared/mapping.ts';
import type { Field } from '../recognise/aliases.ts';

/** The recognition's name of each mappable field (`campaign_name` is `campaignName`). */
export const ENGINE_FIELD: Record<MappableField, Field> = {
  date: 'date',
  campaign_name: 'campaignName',
  campaign_id: 'campaignId',
  ad_set_name: 'adSetName',
  ad_set_id: 'adSetId',
  ad_name: 'adName',
  ad_id: 'adId',
  impressions: 'impressions',
  clicks: 'clicks',
  spend: 'spend',
  conversions: 'conversions',
  conversion_value: 'conversionValue',
  currency: 'currency',
};

/** The mappable field an engine field is, if it is one (`results` is not: it is read only without Purchases). */
export function mappableField(field: Field): MappableField | null {
  return MAPPABLE_FIELDS.find((f) => ENGINE_FIELD[f] === field) ?? null;
}

export function isMappableField(name: string): name is MappableField {
  return (MAPPABLE_FIELDS as readonly string[]).includes(name);
}
