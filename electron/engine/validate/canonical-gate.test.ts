import { describe, expect, it } from 'vitest';
import { CanonicalRow } from '../../../shared/canonical.ts';
import { CanonicalGate } from './canonical-gate.ts';

const base = {
  date: '2025-09-01',
  campaign_external_id: '120215553310760183',
  campaign_name: 'C',
  ad_set_external_id: '1',
  ad_set_name: 'S',
  ad_external_id: '2',
  ad_name: 'A',
  impressions: '10',
  clicks: '1',
  spend: '1.5',
  conversions: '0.5',
  conversion_value: '0',
  currency: 'USD',
};

/** The gate's verdict: every field through its field schema, then the object rules once per shape. */
function gatePasses(gate: CanonicalGate, row: Record<string, string | undefined>): boolean {
  for (const [key, value] of Object.entries(row)) {
    if (!(key in CanonicalRow.shape)) return gate.shapeProblems(row as Record<string, string>, Object.keys(row).join()).length === 0;
    if (gate.fieldProblem(key as keyof typeof CanonicalRow.shape, value) !== null) return false;
  }
  return gate.shapeProblems(row as Record<string, string>, Object.keys(row).join()).length === 0;
}

describe("CanonicalGate gives the zod schema's verdict", () => {
  const variants: Record<string, string | undefined>[] = [
    base,
    { ...base, date: '2025-02-30' },
    { ...base, date: '2025-9-1' },
    { ...base, spend: '-1' },
    { ...base, spend: '1.' },
    { ...base, impressions: '1.5' },
    { ...base, clicks: '01' },
    { ...base, currency: 'usd' },
    { ...base, campaign_external_id: '' },
    { ...base, campaign_external_id: 'x'.repeat(65) },
    { ...base, ad_name: 'n'.repeat(1025) },
    { ...base, extra: 'x' },
  ];
  const withoutAdSet: Record<string, string | undefined> = { ...base };
  delete withoutAdSet.ad_set_external_id;
  delete withoutAdSet.ad_set_name;
  variants.push(withoutAdSet);
  const nameWithoutId: Record<string, string | undefined> = { ...base };
  delete nameWithoutId.ad_external_id;
  variants.push(nameWithoutId);

  for (const row of variants) {
    it(JSON.stringify(row).slice(0, 90), () => {
      expect(gatePasses(new CanonicalGate(), row)).toBe(CanonicalRow.safeParse(row).success);
    });
  }
});

describe('the metric shortcut', () => {
  it("is taken for the canonical metric schemas and gives zod's verdict on 10,000 generated values", () => {
    const gate = new CanonicalGate();
    expect(gate.shortcutKeys()).toEqual(['impressions', 'clicks', 'spend', 'conversions', 'conversion_value']);
    const samples = ['0', '1', '10', '0.5', '1.25', '00', '01', '1.', '.5', '-1', '1e5', '1,5', ' 1', '1 ', '', '٣', '１', '1.2.3'];
    for (let i = 0; i < 10_000; i++) samples.push((i * 7.3).toString(), String(i), `${i}.${i % 100}`);
    // Disagreements are collected and compared once: 300,000 expect() calls took seconds of the unit lane.
    const disagreements: string[] = [];
    for (const key of ['impressions', 'clicks', 'spend', 'conversions', 'conversion_value'] as const) {
      const check = gate.checker(key);
      for (const v of samples) {
        const problem = gate.fieldProblem(key, v);
        if ((problem === null) !== CanonicalRow.shape[key].safeParse(v).success) disagreements.push(`${key} ${JSON.stringify(v)}: zod`);
        if (check(v) !== problem) disagreements.push(`${key} ${JSON.stringify(v)}: checker`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});
