import type { Level } from '../../../shared/canonical.ts';
import type { Field } from '../recognise/aliases.ts';

/** The entity levels a file of finest level `level` carries, finest last. */
export function levelsOf(level: Level): readonly Level[] {
  return level === 'ad' ? ['campaign', 'ad_set', 'ad'] : level === 'ad_set' ? ['campaign', 'ad_set'] : ['campaign'];
}

/** The name and ID fields of each level. */
export const LEVEL_FIELDS: Record<Level, { name: Field; id: Field }> = {
  campaign: { name: 'campaign_name', id: 'campaign_id' },
  ad_set: { name: 'ad_set_name', id: 'ad_set_id' },
  ad: { name: 'ad_name', id: 'ad_id' },
};

export function levelPlural(level: Level, metaNames: boolean): string {
  return level === 'campaign' ? 'campaigns' : level === 'ad_set' ? (metaNames ? 'ad sets' : 'ad groups') : 'ads';
}
