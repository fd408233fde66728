import { describe, expect, it } from 'vitest';
import type { Entity } from './entities.ts';
import { testEntity } from '../../../test/support/entities.ts';
import { MessageChannel } from 'node:worker_threads';
import type { RowBatch } from './row-batch.ts';
import { RowTable, type RowTableListener } from './row-table.ts';
import { openStore, type Store } from '../store/open.ts';
import { ValidatedRowWriter } from '../store/validated-rows.ts';

/** The store's `validated_rows` columns of what `write` wrote, read back in one uncommitted transaction. */
function stored(write: (w: ValidatedRowWriter, db: Store) => void): unknown[][] {
  const db = openStore(':memory:');
  db.exec('begin');
  db.pragma('defer_foreign_keys = on');
  write(new ValidatedRowWriter(db, 'v'), db);
  const rows = db
    .prepare(
      `select row_number, date, campaign_external_id, campaign_name, ad_set_external_id, ad_set_name, ad_external_id, ad_name,
         impressions, clicks, spend, conversions, conversion_value, currency
       from validated_rows where validation_id = 'v' order by row_number`,
    )
    .raw()
    .all() as unknown[][];
  db.exec('rollback');
  db.close();
  return rows;
}

const campaign = testEntity('120215553310760183', 'Prospecting | US, CA');
const adSet = testEntity('120215553310770183', 'LAL 1%', campaign);
const ad = testEntity('120215553310780183', 'UGC hook', adSet);

describe('RowTable', () => {
  it('gives back every metric digit for digit, including values longer than a double holds', () => {
    const table = new RowTable('ad', 'USD');
    const values = [
      ['0', '0', '0', '0', '0'],
      ['19233', '171', '152.734418', '4', '512.6'],
      ['1', '2', '0.000001', '0.5', '23.25381818'],
      ['999999999999999', '123456789012345', '12345678901234567890.123456789012', '0.0000000000000001', '9007199254740993'],
    ];
    values.forEach((v, i) => table.push(i + 2, ad, '2025-09-01', v[0]!, v[1]!, v[2]!, v[3]!, v[4]!));
    expect(table.length).toBe(4);
    expect([...table].map((r) => [r.row.impressions, r.row.clicks, r.row.spend, r.row.conversions, r.row.conversion_value])).toEqual(
      values,
    );
    expect(table.sums.map(String)).toEqual([
      '1000000000019233',
      '123456789012518',
      '12345678901234568042.857875789012',
      '4.5000000000000001',
      '9007199254741528.85381818',
    ]);
    expect(table.at(1)).toEqual({
      rowNumber: 3,
      row: {
        date: '2025-09-01',
        campaign_external_id: campaign.id,
        campaign_name: campaign.name,
        ad_set_external_id: adSet.id,
        ad_set_name: adSet.name,
        ad_external_id: ad.id,
        ad_name: ad.name,
        impressions: '19233',
        clicks: '171',
        spend: '152.734418',
        conversions: '4',
        conversion_value: '512.6',
        currency: 'USD',
      },
    });
  });

  it("builds rows of the file's level only, and grows past its first capacity", () => {
    const table = new RowTable('campaign', null);
    for (let i = 0; i < 5000; i++) table.push(i + 2, campaign, '2025-09-02', String(i), '1', `${i}.25`, '0', '0');
    expect(table.length).toBe(5000);
    expect(table.at(4999)).toEqual({
      rowNumber: 5001,
      row: {
        date: '2025-09-02',
        campaign_external_id: campaign.id,
        campaign_name: campaign.name,
        impressions: '4999',
        clicks: '1',
        spend: '4999.25',
        conversions: '0',
        conversion_value: '0',
      },
    });
    expect(table.toArray()).toHaveLength(5000);
    expect(() => table.at(5000)).toThrow(RangeError);
  });

  it('holds the same rows whatever capacity it was given: too small, exact, too large or no number', () => {
    const fill = (table: RowTable) => {
      for (let i = 0; i < 3000; i++)
        table.push(i + 2, campaign, `2025-09-${String((i % 28) + 1).padStart(2, '0')}`, String(i), '1', `${i}.5`, '0', '0');
      return table;
    };
    const plain = fill(new RowTable('campaign', 'USD'));
    const rows = plain.toArray();
    const batch = (table: RowTable) => stored((w) => w.writeAll(table));
    for (const capacity of [1, 1500, 3000, 3001, 250_000, Number.NaN, Number.POSITIVE_INFINITY]) {
      const table = fill(new RowTable('campaign', 'USD', null, capacity));
      expect(table.length).toBe(3000);
      expect(table.toArray()).toEqual(rows);
      expect(batch(table)).toEqual(batch(plain));
      expect(table.sums.map(String)).toEqual(plain.sums.map(String));
      expect(() => table.at(3000)).toThrow(RangeError);
    }
  });

  it("keeps each row's entity and date, whichever table an entity was kept in before", () => {
    const other: Entity = { ...campaign, id: '120215553310790183', key: '120215553310790183', name: 'Retargeting', slot: -1, slotIn: null };
    const first = new RowTable('campaign', null);
    const second = new RowTable('campaign', null);
    first.push(2, campaign, '2025-09-01', '1', '0', '0', '0', '0');
    second.push(2, other, '2025-09-02', '1', '0', '0', '0', '0');
    second.push(3, campaign, '2025-09-01', '1', '0', '0', '0', '0');
    first.push(3, other, '2025-09-03', '1', '0', '0', '0', '0');
    expect([...first].map((r) => [r.row.campaign_external_id, r.row.date])).toEqual([
      [campaign.id, '2025-09-01'],
      [other.id, '2025-09-03'],
    ]);
    expect([...second].map((r) => [r.row.campaign_external_id, r.row.date])).toEqual([
      [other.id, '2025-09-02'],
      [campaign.id, '2025-09-01'],
    ]);
  });

  it('gives the store the same columns as the canonical rows, at each level, with and without a currency', () => {
    const columns = (r: { rowNumber: number; row: Record<string, string | undefined> }) => [
      r.rowNumber,
      r.row.date,
      r.row.campaign_external_id,
      r.row.campaign_name,
      r.row.ad_set_external_id ?? null,
      r.row.ad_set_name ?? null,
      r.row.ad_external_id ?? null,
      r.row.ad_name ?? null,
      r.row.impressions,
      r.row.clicks,
      r.row.spend,
      r.row.conversions,
      r.row.conversion_value,
      r.row.currency ?? null,
    ];
    for (const [level, finest, currency] of [
      ['ad', ad, 'EUR'],
      ['ad_set', adSet, null],
      ['campaign', campaign, 'USD'],
    ] as const) {
      const table = new RowTable(level, currency);
      table.push(7, finest, '2025-09-01', '19233', '171', '152.734418', '4', '512.6');
      table.push(9, finest, '2025-09-02', '1', '0', '12345678901234567890.123456789012', '0.5', '0');
      const given = stored((w) => w.writeAll(table));
      expect(given).toEqual([...table].map(columns));
      expect(given[0]!.slice(4, 8).every((v) => v === null)).toBe(level === 'campaign');
    }
  });

  it('stores a table of more rows than one insert statement takes (whole statements and the rest), with and without a currency', () => {
    for (const currency of ['EUR', null]) {
      const table = new RowTable('ad', currency);
      // 70 rows: two statements of 32 and six rows on their own; a value longer than a double holds in each part.
      for (let i = 0; i < 70; i++) {
        const spend = i % 31 === 5 ? `${i}2345678901234567890.12345678901` : `${i}.${i % 7}5`;
        table.push(
          i + 2,
          ad,
          i < 40 ? '2025-09-01' : '2025-09-02',
          String(i * 1000 + 7),
          String(i),
          spend,
          '0',
          i % 2 === 0 ? '0' : '12.5',
        );
      }
      const given = stored((w) => w.writeAll(table));
      expect(given).toHaveLength(70);
      expect(given).toEqual(
        [...table].map(({ rowNumber, row: r }) => [
          rowNumber,
          r.date,
          r.campaign_external_id,
          r.campaign_name,
          r.ad_set_external_id,
          r.ad_set_name,
          r.ad_external_id,
          r.ad_name,
          r.impressions,
          r.clicks,
          r.spend,
          r.conversions,
          r.conversion_value,
          currency,
        ]),
      );
      expect(given[67]).toEqual([
        69,
        '2025-09-02',
        campaign.id,
        campaign.name,
        adSet.id,
        adSet.name,
        ad.id,
        ad.name,
        '67007',
        '67',
        '672345678901234567890.12345678901',
        '0',
        '12.5',
        currency,
      ]);
    }
  });

  it('hands its rows out in runs while they are pushed, and the runs are stored as the whole table is', () => {
    const other: Entity = { ...ad, id: '120215553310790183', key: '120215553310790183', name: 'Static 2', slot: -1, slotIn: null };
    const runs: number[] = [];
    const cursor = { rows: 0, entities: 0, days: 0 };
    let table: RowTable | null = null;
    const inRuns = stored((writer) => {
      const listener: RowTableListener = {
        rowsPerRun: 3,
        opened: () => undefined,
        filled: (t) => {
          const batch = t.batch(cursor);
          runs.push(batch.to - batch.from);
          writer.write(batch, 'EUR');
        },
      };
      table = new RowTable('ad', 'EUR', listener);
      for (let i = 0; i < 8; i++) {
        // A new entity and a new day part-way, and a value longer than a double holds in the second run.
        const finest = i < 4 ? ad : other;
        const spend = i === 4 ? '12345678901234567890.123456789012' : `${i}.5`;
        table.push(i + 2, finest, i < 5 ? '2025-09-01' : '2025-09-02', String(i * 1000), '1', spend, '0', '0.25');
      }
      expect(runs).toEqual([3, 3]);
      const rest = table.batch(cursor);
      expect(rest.to - rest.from).toBe(2);
      writer.write(rest, 'EUR');
    });
    const whole = stored((w) => w.writeAll(table!));
    expect(inRuns).toEqual(whole);
    expect(whole).toHaveLength(8);
    expect(whole[4]).toEqual([
      6,
      '2025-09-01',
      campaign.id,
      campaign.name,
      adSet.id,
      adSet.name,
      other.id,
      'Static 2',
      '4000',
      '1',
      '12345678901234567890.123456789012',
      '0',
      '0.25',
      'EUR',
    ]);
    // Nothing is handed out twice.
    const none = table!.batch(cursor);
    expect(none.to - none.from).toBe(0);
  });

  it('hands out runs that stay whole while it grows, and that another thread reads as they were pushed', async () => {
    // Runs posted to another thread share the table's memory: each must keep its rows while the table
    // goes on, grows into new arrays (past 1,024 and 2,048 rows here) and is written past them.
    const port = new MessageChannel();
    const received: RowBatch[] = [];
    port.port2.on('message', (b: RowBatch) => received.push(b));
    const cursor = { rows: 0, entities: 0, days: 0 };
    const table = new RowTable('ad', 'USD', {
      rowsPerRun: 700,
      opened: () => undefined,
      filled: (t) => port.port1.postMessage(t.batch(cursor)),
    });
    for (let i = 0; i < 3000; i++) {
      const spend = i % 997 === 0 ? `${'9'.repeat(20)}.${i}` : `${i}.${i % 100}`;
      table.push(
        i + 2,
        i < 1500 ? ad : { ...ad, id: `9${i}`, key: `9${i}`, name: `Ad ${i}`, slot: -1, slotIn: null },
        '2025-09-01',
        String(i),
        '2',
        spend,
        '0',
        '0',
      );
    }
    port.port1.postMessage(table.batch(cursor));
    await new Promise<void>((resolve) => {
      const wait = () => (received.length === 5 ? resolve() : setTimeout(wait, 5));
      wait();
    });
    port.port1.close();
    expect(received.map((b) => [b.from, b.to])).toEqual([
      [0, 700],
      [700, 1400],
      [1400, 2100],
      [2100, 2800],
      [2800, 3000],
    ]);
    const viaThread = stored((w) => {
      for (const b of received) w.write(b, 'USD');
    });
    const whole = stored((w) => w.writeAll(table));
    expect(viaThread).toEqual(whole);
    expect(whole).toHaveLength(3000);
    expect(whole[997]).toEqual(expect.arrayContaining([999, '997', `${'9'.repeat(20)}.997`]));
  });
});
