import { describe, expect, it } from 'vitest';
import type { CanonicalRow, Level } from '../../../shared/canonical.ts';
import type { KnownEntity, KnownFact } from '../store/local-mirror.ts';
import { computeLocalPlan, factKey, sameDecimal } from './local-plan.ts';

const row = (over: Partial<CanonicalRow>): CanonicalRow => ({
  date: '2025-09-01',
  campaign_external_id: '120215553310760183',
  campaign_name: 'Prospecting | US, CA',
  ad_set_external_id: '120215553310770183',
  ad_set_name: 'LAL 1% purchasers',
  ad_external_id: '120215553310780183',
  ad_name: 'UGC hook v3',
  impressions: '19233',
  clicks: '171',
  spend: '152.734418',
  conversions: '4',
  conversion_value: '512.6',
  ...over,
});

function knowledge(entities: Array<[Level, string, KnownEntity]>, facts: Array<[CanonicalRow, KnownFact]>) {
  const e = new Map(entities.map(([t, id, v]) => [`${t}:${id}`, v]));
  const f = new Map(facts.map(([r, v]) => [factKey(r), v]));
  return {
    entity: (t: Level, id: string) => e.get(`${t}:${id}`),
    named: (t: Level, name: string, parent: string | null) =>
      entities.filter(([type, , v]) => type === t && v.name === name && v.parentExternalId === parent).map(([, id]) => id),
    fact: (k: string) => f.get(k),
  };
}

/** Rows as the store gives them back, numbered from 2 (after the header). */
const numbered = (rows: CanonicalRow[]) => rows.map((r, i) => ({ rowNumber: i + 2, row: r }));

describe('offline dry-run plan', () => {
  it('counts everything as new on a computer that has uploaded nothing', () => {
    const rows = [row({}), row({ date: '2025-09-02' })];
    const plan = computeLocalPlan(numbered(rows), knowledge([], []));
    expect(plan).toEqual({
      source: 'local',
      campaigns: { create: 1, update: 0, unchanged: 0 },
      adSets: { create: 1, update: 0, unchanged: 0 },
      ads: { create: 1, update: 0, unchanged: 0 },
      facts: { create: 2, update: 0, unchanged: 0 },
    });
  });

  it('sees a renamed ad as an update, equal metrics as unchanged and changed spend as an update', () => {
    const day1 = row({});
    const day2 = row({ date: '2025-09-02', spend: '0.88' });
    const known = knowledge(
      [
        ['campaign', day1.campaign_external_id, { name: day1.campaign_name, parentExternalId: null }],
        ['ad_set', '120215553310770183', { name: 'LAL 1% purchasers', parentExternalId: day1.campaign_external_id }],
        ['ad', '120215553310780183', { name: 'UGC hook v2', parentExternalId: '120215553310770183' }],
      ],
      [
        [day1, { impressions: '19233', clicks: '171', spend: '152.7344180', conversions: '4.0', conversion_value: '512.60' }],
        [day2, { impressions: '19233', clicks: '171', spend: '0.87', conversions: '4', conversion_value: '512.6' }],
      ],
    );
    const plan = computeLocalPlan(numbered([day1, day2, row({ date: '2025-09-03' })]), known);
    expect(plan.campaigns).toEqual({ create: 0, update: 0, unchanged: 1 });
    expect(plan.ads).toEqual({ create: 0, update: 1, unchanged: 0 });
    expect(plan.facts).toEqual({ create: 1, update: 1, unchanged: 1 });
  });

  it('compares decimals by value, not by spelling', () => {
    expect(sameDecimal('1.50', '1.5')).toBe(true);
    expect(sameDecimal('007', '7')).toBe(true);
    expect(sameDecimal('0.0', '0')).toBe(true);
    expect(sameDecimal('1.05', '1.5')).toBe(false);
  });

  it('matched by name: several entities of the name refuse it as the server does; two new IDs of one name take nothing over', () => {
    const key = 'name:' + 'a'.repeat(48);
    const byName = row({ campaign_external_id: key, campaign_name: 'Brand' });
    const twins = knowledge(
      [
        ['campaign', '1001', { name: 'Brand', parentExternalId: null }],
        ['campaign', '1002', { name: 'Brand', parentExternalId: null }],
      ],
      [],
    );
    expect(() => computeLocalPlan(numbered([byName]), twins)).toThrow(
      expect.objectContaining({
        code: 'CONFLICTING_DIMENSION',
        message: expect.stringMatching(/Row 2: "Brand" .* 2 campaigns .*1001, 1002/),
      }),
    );
    const createdByName = knowledge([['campaign', key, { name: 'Brand', parentExternalId: null }]], []);
    const one = computeLocalPlan(numbered([row({ campaign_external_id: '1001', campaign_name: 'Brand' })]), createdByName);
    expect(one.campaigns).toEqual({ create: 0, update: 1, unchanged: 0 });
    const two = computeLocalPlan(
      numbered([
        row({ campaign_external_id: '1001', campaign_name: 'Brand' }),
        row({ campaign_external_id: '1002', campaign_name: 'Brand', ad_set_external_id: '9', ad_external_id: '8' }),
      ]),
      createdByName,
    );
    expect(two.campaigns).toEqual({ create: 2, update: 0, unchanged: 0 });
  });
});
