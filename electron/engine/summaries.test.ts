import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, silentLogger, systemClock, type Engine } from './index.ts';
import { openStore, storeFile } from './store/open.ts';
import { sumDecimals } from '../../test/support/decimals.ts';

/**
 * The per-day spend and the campaigns of a file, summed by SQLite in a real store file (not row by
 * row in JavaScript), exactly: the amounts below are ones a floating-point sum gets wrong.
 */
const HEADER =
  'Day,"Campaign name","Campaign ID","Ad set name","Ad set ID","Ad name","Ad ID","Amount spent (USD)",Impressions,"Link clicks",Purchases,"Purchases conversion value"';
const line = (day: string, campaign: string, campaignId: string, adSet: string, adId: string, spend: string) =>
  `${day},${campaign},${campaignId},${adSet},2${adSet.slice(3)},Ad ${adId},${adId},${spend},100,3,0,0`;

let close: Array<() => void> = [];
afterEach(() => {
  for (const c of close) c();
  close = [];
});

function desk(): { engine: Engine; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'md-summaries-'));
  const db = openStore(storeFile(dir));
  close.push(() => db.close());
  return { engine: createEngine({ db, clock: systemClock, logger: silentLogger, home: dir }), dir };
}

async function validated(engine: Engine, dir: string, lines: string[]): Promise<string> {
  const path = join(dir, 'export.csv');
  writeFileSync(path, `${HEADER}\n${lines.join('\n')}\n`);
  const v = await engine.validateFile(path);
  expect(v.report.refused).toBeNull();
  expect(v.report.rows.invalid).toBe(0);
  return v.validationId;
}

describe('spend per day and per campaign, summed in the store', () => {
  it('is exact where floating point is not, lists the days without rows, and ranks campaigns by exact spend', async () => {
    // What a float sum of these gives: wrong in each case, which is why nothing here is a number.
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(String(Number('9007199254740993.01') + 0.98)).not.toBe('9007199254740993.99');
    expect(Number('0.30000000000000001') + 1e-38).toBe(0.3);
    const { engine, dir } = desk();
    const id = await validated(engine, dir, [
      line('2025-09-01', 'Alpha', '1001', 'Set101', '3001', '0.1'),
      line('2025-09-01', 'Alpha', '1001', 'Set101', '3002', '0.2'),
      line('2025-09-03', 'Bravo', '1002', 'Set102', '3003', '9007199254740993.01'),
      line('2025-09-03', 'Bravo', '1002', 'Set103', '3004', '0.98'),
      line('2025-09-04', 'Zulu', '1003', 'Set104', '3005', '0.30000000000000001'),
      line('2025-09-04', 'Zulu', '1003', 'Set104', '3006', '0.00000000000000000000000000000000000001'),
    ]);
    expect(engine.spendByDay(id)).toEqual({
      currency: 'USD',
      days: [
        { date: '2025-09-01', spend: '0.3', rows: 2 },
        { date: '2025-09-02', spend: '0', rows: 0 },
        { date: '2025-09-03', spend: '9007199254740993.99', rows: 2 },
        { date: '2025-09-04', spend: '0.30000000000000001000000000000000000001', rows: 2 },
      ],
    });
    // Zulu outspends Alpha by 10^-17: as floats the two are equal and would be ranked by name.
    expect(engine.campaigns(id)).toEqual([
      { externalId: '1002', name: 'Bravo', rows: 2, spend: '9007199254740993.99', adSets: 2, ads: 2 },
      { externalId: '1003', name: 'Zulu', rows: 2, spend: '0.30000000000000001000000000000000000001', adSets: 1, ads: 2 },
      { externalId: '1001', name: 'Alpha', rows: 2, spend: '0.3', adSets: 1, ads: 2 },
    ]);
  });

  it('carries across every chunk: thousands of long amounts agree with an independent exact sum', async () => {
    const { engine, dir } = desk();
    // A fixed pseudo-random sequence (no Math.random: the test is the same on every run).
    let seed = 20261202;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const digits = (n: number) => Array.from({ length: n }, () => String(next() % 10)).join('');
    const spends: string[] = [];
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const int = String(1 + (next() % 9)) + digits(next() % 20);
      const spend = i % 3 === 0 ? int : `${int}.${digits(1 + (next() % 17))}1`;
      spends.push(spend);
      lines.push(line(`2025-09-0${1 + (i % 2)}`, 'Long', '1001', 'Set101', String(10_000 + i), spend));
    }
    const id = await validated(engine, dir, lines);
    const days = engine.spendByDay(id).days;
    expect(days).toEqual([
      { date: '2025-09-01', spend: sumDecimals(spends.filter((_, i) => i % 2 === 0)), rows: 1500 },
      { date: '2025-09-02', spend: sumDecimals(spends.filter((_, i) => i % 2 === 1)), rows: 1500 },
    ]);
    expect(engine.campaigns(id)).toEqual([
      { externalId: '1001', name: 'Long', rows: 3000, spend: sumDecimals(spends), adSets: 1, ads: 3000 },
    ]);
  });

  it('lists every calendar day across a month end and a leap day', async () => {
    const { engine, dir } = desk();
    const id = await validated(engine, dir, [
      line('2024-02-28', 'Alpha', '1001', 'Set101', '3001', '1'),
      line('2024-03-01', 'Alpha', '1001', 'Set101', '3001', '2'),
    ]);
    expect(engine.spendByDay(id).days).toEqual([
      { date: '2024-02-28', spend: '1', rows: 1 },
      { date: '2024-02-29', spend: '0', rows: 0 },
      { date: '2024-03-01', spend: '2', rows: 1 },
    ]);
  });

  it('has no days and no campaigns for a file without valid rows, and refuses an unknown validation', async () => {
    const { engine, dir } = desk();
    const path = join(dir, 'empty.csv');
    writeFileSync(path, `${HEADER}\n`);
    const v = await engine.validateFile(path);
    expect(engine.spendByDay(v.validationId).days).toEqual([]);
    expect(engine.campaigns(v.validationId)).toEqual([]);
    expect(() => engine.spendByDay('no-such-validation')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
