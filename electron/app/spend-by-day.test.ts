import { describe, expect, it } from 'vitest';
import type { CanonicalRow } from '../../shared/canonical.ts';
import { spendByDay } from './spend-by-day.ts';

const row = (date: string, spend: string): { row: CanonicalRow } => ({
  row: { date, campaign_external_id: '1', campaign_name: 'c', impressions: '1', clicks: '0', spend, conversions: '0', conversion_value: '0' },
});

describe('spend per day from the valid rows', () => {
  it('sums exactly per day and lists every day of the range, gaps with zero rows', () => {
    const r = spendByDay([row('2025-09-01', '0.1'), row('2025-09-01', '0.2'), row('2025-09-03', '152.734418')], { from: '2025-09-01', to: '2025-09-04' }, 'EUR');
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
