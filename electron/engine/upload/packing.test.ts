import { describe, expect, it } from 'vitest';
import type { CanonicalRow } from '../../../shared/canonical.ts';
import { packBatches, stagingOrder, type PackedBatch, type StagedRow } from './packing.ts';

/**
 * The rows a packed batch stands for, read the way its format says (written here again, apart from
 * the packer, so a packer bug cannot hide behind its own reading).
 */
function unpack(b: PackedBatch): StagedRow[] {
  return b.rows.split(';').map((line) => {
    const f = line.split(',');
    const [rn, d, e, impressions, clicks, spend, conversions, conversionValue, cur] = f;
    const payload: Record<string, string> = { date: b.dates[Number(d)]! };
    let campaign: number;
    if (b.ads?.length) {
      const [adId, adName, setIndex] = b.ads[Number(e)]!;
      const [setId, setName, campaignIndex] = b.ad_sets![setIndex]!;
      Object.assign(payload, { ad_external_id: adId, ad_name: adName, ad_set_external_id: setId, ad_set_name: setName });
      campaign = campaignIndex;
    } else if (b.ad_sets?.length) {
      const [setId, setName, campaignIndex] = b.ad_sets[Number(e)]!;
      Object.assign(payload, { ad_set_external_id: setId, ad_set_name: setName });
      campaign = campaignIndex;
    } else campaign = Number(e);
    const [cId, cName] = b.campaigns[campaign]!;
    Object.assign(payload, {
      campaign_external_id: cId,
      campaign_name: cName,
      impressions,
      clicks,
      spend,
      conversions,
      conversion_value: conversionValue,
    });
    if (cur !== undefined) payload.currency = b.currencies![Number(cur)]!;
    return { row_number: Number(rn), payload: payload as unknown as CanonicalRow };
  });
}

/** An export as Ads Manager sorts it by day: every ad on every day, 18-digit ids, long names. */
function dailyExport(days: number, ads: number, extra: Partial<CanonicalRow> = {}): StagedRow[] {
  const rows: StagedRow[] = [];
  let n = 2;
  for (let d = 0; d < days; d++) {
    for (let a = 0; a < ads; a++) {
      const set = Math.floor(a / 8);
      const campaign = Math.floor(set / 10);
      rows.push({
        row_number: n++,
        payload: {
          date: `2025-09-${String(d + 1).padStart(2, '0')}`,
          campaign_external_id: `120215553311${String(100000 + campaign)}`,
          campaign_name: `Campaign ${campaign} | Prospecting, US & CA "Q3"`,
          ad_set_external_id: `120215553411${String(100000 + set)}`,
          ad_set_name: `Ad set ${set} | Lookalike 1% purchasers`,
          ad_external_id: `120215553511${String(100000 + a)}`,
          ad_name: `Ad ${a} | UGC hook variant ${a % 7} – é`,
          impressions: String(1000 + ((d * 7919 + a * 104729) % 40000)),
          clicks: String((d + a) % 400),
          spend: `${(d * 31 + a) % 900}.${String((d * 7 + a) % 1000000).padStart(6, '0')}`,
          conversions: String((d + a) % 6),
          conversion_value: `${(d * 13 + a) % 5000}.${String(a % 100).padStart(2, '0')}`,
          ...extra,
        },
      });
    }
  }
  return rows;
}

const byRow = (rows: StagedRow[]) => [...rows].sort((x, y) => x.row_number - y.row_number);
const LIMITS = { maxBytes: 96 * 1024, maxRows: 5000 };

describe('packed stage batches', () => {
  it('stand for exactly the rows of the file, each once, whatever the level', () => {
    for (const rows of [
      dailyExport(30, 300),
      dailyExport(3, 50, { currency: 'EUR' }),
      dailyExport(5, 20).map((r) => {
        const { ad_external_id: _a, ad_name: _b, ...p } = r.payload;
        return { ...r, payload: p };
      }),
      dailyExport(5, 20).map((r) => ({
        ...r,
        payload: {
          date: r.payload.date,
          campaign_external_id: r.payload.campaign_external_id,
          campaign_name: r.payload.campaign_name,
          impressions: '1',
          clicks: '0',
          spend: '0',
          conversions: '0',
          conversion_value: '0',
        },
      })),
    ]) {
      const batches = [...packBatches(stagingOrder(rows), LIMITS)];
      expect(byRow(batches.flatMap((b) => unpack(b.packed)))).toEqual(byRow(rows));
      expect(batches.map((b) => b.batchNo)).toEqual(batches.map((_, i) => i));
    }
  });

  it('keep an id given two names in the file as two entries, so the server can refuse it', () => {
    const rows = dailyExport(2, 3);
    rows[4] = { ...rows[4]!, payload: { ...rows[4]!.payload, ad_name: 'Renamed ad' } };
    const [only] = [...packBatches(stagingOrder(rows), LIMITS)];
    expect(only!.packed.ads!.filter(([id]) => id === rows[4]!.payload.ad_external_id)).toHaveLength(2);
    expect(byRow(unpack(only!.packed))).toEqual(byRow(rows));
  });

  it('never exceed the byte or row limit, and fill batches up to them', () => {
    const rows = dailyExport(30, 400);
    const batches = [...packBatches(stagingOrder(rows), LIMITS)];
    for (const b of batches) {
      expect(b.bytes).toBe(Buffer.byteLength(JSON.stringify(b.packed)));
      expect(b.bytes).toBeLessThanOrEqual(LIMITS.maxBytes);
      expect(b.rowCount).toBe(unpack(b.packed).length);
    }
    // Full: a batch closes only when one more row (at most a few hundred bytes here) would not fit.
    for (const b of batches.slice(0, -1)) expect(b.bytes).toBeGreaterThan(LIMITS.maxBytes - 400);
    const small = [...packBatches(stagingOrder(rows), { maxBytes: 10 * 1024 * 1024, maxRows: 1000 })];
    expect(small.map((b) => b.rowCount)).toEqual(Array(12).fill(1000));
  });

  it('are the same batches with the same numbers for the same rows, in whatever order they come (resume)', () => {
    const rows = dailyExport(10, 200);
    const shuffled = [...rows].sort((a, b) => ((a.row_number * 7919) % 1009) - ((b.row_number * 7919) % 1009));
    expect([...packBatches(stagingOrder(shuffled), LIMITS)]).toEqual([...packBatches(stagingOrder(rows), LIMITS)]);
  });

  it('carry a file sorted by day in under a tenth of the bytes of keyed JSON rows', () => {
    const rows = dailyExport(30, 1000);
    const keyed = Buffer.byteLength(JSON.stringify(rows));
    const packed = [...packBatches(stagingOrder(rows), LIMITS)].reduce((n, b) => n + b.bytes, 0);
    expect(packed / keyed).toBeLessThan(0.1);
  });
});
