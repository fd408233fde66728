import { describe, expect, it } from 'vitest';
import type { CanonicalRow } from '../../shared/canonical.ts';
import { campaignSummaries, spendByDay } from './spend-by-day.ts';

const row = (date: string, spend: string): { row: CanonicalRow } => ({
  row: {
    date,
    campaign_external_id: '1',
    campaign_name: 'c',
    impressions: '1',
    clicks: '0',
    spend,
    conversions: '0',
    conversion_value: '0',
  },
});

describe('spend per day from the valid rows', () => {
  it('sums exactly per day and lists every day of the range, gaps with zero rows', () => {
    const r = spendByDay(
      [row('2025-09-01', '0.1'), row('2025-09-01', '0.2'), row('2025-09-03', '152.734418')],
      { from: '2025-09-01', to: '2025-09-04' },
      'EUR',
    );
    expect(r).toEqual({
      currency: 'EUR',
      days: [
        { date: '2025-09-01', spend: '0.3', rows: 2 },
        { date: '2025-09-02', spend: '0', rows: 0 },
        { date: '2025-09-03', spend: '152.734418', rows: 1 },
        { date: '2025-09-04', spend: '0', rows: 0 },
      ],
    });
  });
  it('crosses month and leap-day boundaries', () => {
    const r = spendByDay([row('2024-02-28', '1'), row('2024-03-01', '1')], null, null);
    expect(r.days.map((d) => d.date)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
  it('has no days without rows', () => {
    expect(spendByDay([], null, 'USD')).toEqual({ currency: 'USD', days: [] });
  });
});

describe('campaigns of the valid rows', () => {
  it('sums spend exactly per campaign, counts ad sets and ads, highest spend first', () => {
    const r = (id: string, name: string, spend: string, adSet?: string, ad?: string): { row: CanonicalRow } => ({
      row: {
        date: '2025-09-01',
        campaign_external_id: id,
        campaign_name: name,
        impressions: '1',
        clicks: '0',
        spend,
        conversions: '0',
        conversion_value: '0',
        ...(adSet ? { ad_set_external_id: adSet, ad_set_name: adSet } : {}),
        ...(ad ? { ad_external_id: ad, ad_name: ad } : {}),
      },
    });
    expect(
      campaignSummaries([
        r('1', 'Brand', '0.1', 's1', 'a1'),
        r('2', '<img src=x onerror=alert(1)>', '5'),
        r('1', 'Brand', '0.2', 's1', 'a2'),
      ]),
    ).toEqual([
      { externalId: '2', name: '<img src=x onerror=alert(1)>', rows: 1, spend: '5', adSets: 0, ads: 0 },
      { externalId: '1', name: 'Brand', rows: 2, spend: '0.3', adSets: 1, ads: 2 },
    ]);
  });
});
