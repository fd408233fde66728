import type { Level } from '../../../shared/canonical.ts';
import type { Field } from '../recognise/aliases.ts';

/** The entity levels of a file, finest last. */
export type RawLevel = 'campaign' | 'adSet' | 'ad';

export function levelsOf(level: Level): readonly RawLevel[] {
  return level === 'ad' ? ['campaign', 'adSet', 'ad'] : level === 'ad_set' ? ['campaign', 'adSet'] : ['campaign'];
}

export const LEVEL_FIELDS: Record<RawLevel, { name: Field; id: Field }> = {
  campaign: { name: 'campaignName', id: 'campaignId' },
  adSet: { name: 'adSetName', id: 'adSetId' },
  ad: { name: 'adName', id: 'adId' },
};

export function levelPlural(level: RawLevel, metaNames: boolean): string {
  return level === 'campaign' ? 'campaigns' : level === 'adSet' ? (metaNames ? 'ad sets' : 'ad groups') : 'ads';
}
