import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { CANONICAL_LIMITS, CanonicalRow } from '../../../shared/canonical.ts';
import { CanonicalGate, plainText, textShortcutAgrees } from './canonical-gate.ts';

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

describe('the entity text shortcut', () => {
  const limits = [
    ['campaign_external_id', CANONICAL_LIMITS.externalIdChars],
    ['ad_set_external_id', CANONICAL_LIMITS.externalIdChars],
    ['ad_external_id', CANONICAL_LIMITS.externalIdChars],
    ['campaign_name', CANONICAL_LIMITS.nameChars],
    ['ad_set_name', CANONICAL_LIMITS.nameChars],
    ['ad_name', CANONICAL_LIMITS.nameChars],
  ] as const;

  /** Values on both sides of every rule of the ID and name schemas, and characters that could trip a shortcut. */
  function boundaryValues(max: number): string[] {
    const values: string[] = [];
    const pair = '\ud83d\ude00';
    for (const n of [0, 1, 2, max - 1, max, max + 1, max + 2]) {
      values.push('x'.repeat(n), ' '.repeat(n), `${' '.repeat(Math.max(n - 1, 0))}x`, `x${' '.repeat(Math.max(n - 1, 0))}`);
      values.push('é'.repeat(n), '名'.repeat(n), pair.repeat(n), `${'x'.repeat(Math.max(n - 2, 0))}${pair}`);
      values.push(`${'x'.repeat(Math.max(n - 1, 0))}\u0000`, `${'x'.repeat(Math.max(n - 1, 0))}\ud83d`, `\ude00${'x'.repeat(n)}`);
    }
    // Every code unit from 0 to 0x3ff, the surrogates' edges, and a spread over the rest of the BMP:
    // alone, between letters, and between spaces.
    const units: number[] = [];
    for (let c = 0; c <= 0x3ff; c++) units.push(c);
    for (const c of [0xd7ff, 0xd800, 0xd801, 0xdbff, 0xdc00, 0xdc01, 0xdfff, 0xe000, 0xfeff, 0xfffd, 0xfffe, 0xffff]) units.push(c);
    for (let c = 0x400; c <= 0xffff; c += 61) units.push(c);
    for (const c of units) {
      const ch = String.fromCharCode(c);
      values.push(ch, `a${ch}b`, ` ${ch} `, `${ch}${ch}`);
    }
    values.push('\ud83d\ude00', '\ude00\ud83d', '\udbff\udfff', '\ud800\udc00', 'a\ud800', ' \udfff ', '\ud83d\ud83d\ude00');
    values.push('120215553310760183', 'Campaign 0 | Prospecting, US & CA', 'Ad 7 | UGC hook variant 3', ' name ', '\t\n');
    return values;
  }

  it('is taken for the six ID and name fields', () => {
    expect(new CanonicalGate().textShortcutKeys()).toEqual(limits.map(([key]) => key));
  });

  it("gives zod's verdict and message on values at and around every rule of the schemas", () => {
    const gate = new CanonicalGate();
    const disagreements: string[] = [];
    for (const [key, max] of limits) {
      for (const v of boundaryValues(max)) {
        const r = CanonicalRow.shape[key].safeParse(v);
        const zod = r.success ? null : (r.error.issues[0]?.message ?? 'invalid');
        if (gate.fieldProblem(key, v) !== zod) disagreements.push(`${key} ${JSON.stringify(v.slice(0, 20))} (length ${v.length})`);
        if (plainText(v, max) && !r.success) disagreements.push(`${key} ${JSON.stringify(v.slice(0, 20))}: shortcut accepts`);
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('accepts ordinary IDs and names itself, and leaves surrogate pairs, NUL and blank text to zod', () => {
    expect(plainText('120215553310760183', 64)).toBe(true);
    expect(plainText('Campaign 0 | Prospecting, US & CA', 1024)).toBe(true);
    expect(plainText('x'.repeat(64), 64)).toBe(true);
    expect(plainText('x'.repeat(65), 64)).toBe(false);
    expect(plainText('', 64)).toBe(false);
    expect(plainText('   ', 64)).toBe(false);
    expect(plainText('a\u0000', 64)).toBe(false);
    expect(plainText('Sale \ud83d\ude00', 64)).toBe(false);
  });

  it('is turned off for a schema stricter than it on its probes', () => {
    expect(textShortcutAgrees(CanonicalRow.shape.campaign_name, CANONICAL_LIMITS.nameChars)).toBe(true);
    expect(textShortcutAgrees(z.string().min(1).max(63), 64)).toBe(false);
    expect(
      textShortcutAgrees(
        z.string().refine((s) => s.trim() !== ''),
        64,
      ),
    ).toBe(false);
    expect(
      textShortcutAgrees(
        z.string().refine((s) => ![...s].some((c) => c.charCodeAt(0) < 32 || c === '\u007f')),
        64,
      ),
    ).toBe(false);
    expect(
      textShortcutAgrees(
        z.string().refine((s) => !s.includes('\ufeff')),
        64,
      ),
    ).toBe(false);
  });
});
