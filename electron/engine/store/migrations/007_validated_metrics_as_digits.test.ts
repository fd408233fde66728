import { describe, expect, it } from 'vitest';
import type { CanonicalRow } from '../../../../shared/canonical.ts';
import { migrate, userVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { addValidation, EVERY_VALIDATED_ROW_COLUMN as everyColumn, storeAt as at } from '../../../../test/support/store-versions.ts';
import { validatedRowCount, validatedRows, validatedRowsPage } from '../validations.ts';
import { ValidatedRowWriter } from '../validated-rows.ts';
import { RowTable } from '../../validate/row-table.ts';
import { testEntity } from '../../../../test/support/entities.ts';

/** The canonical text of `digits` at `scale`, by the digits' string (exact integers). */
function decimal(digits: bigint, scale: number): string {
  const s = digits.toString().padStart(scale + 1, '0');
  return scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
}

/**
 * Metrics at the edges of the stored form: every scale a number of 15 digits can have, zeros before
 * and after the point, the largest 15-digit numbers, and texts of 16 digits and more (kept as text).
 */
const EDGE_METRICS = [
  '0',
  '1',
  '0.5',
  '0.005',
  '0.00',
  '50.00',
  '12.50',
  '152.734418',
  '999999999999999',
  '99999999999999.9',
  '0.99999999999999',
  '0.12345678901234',
  '1000000000000000',
  '0.123456789012345',
  '9999999999999999.5',
  '12345678901234567890.123456789012',
  '1234567890123456789012345678901234567890',
];
for (let scale = 0; scale <= 14; scale++) {
  for (const d of [1n, 7n, 10n ** BigInt(scale), 10n ** BigInt(scale) - 1n, 10n ** 15n - 1n, 123456789012345n])
    if (d > 0n && d < 10n ** 15n) EDGE_METRICS.push(decimal(d, scale));
}

const campaign = testEntity('2384', 'Prospecting | US');

/** Rows of one campaign whose five metrics go through `metrics` in turn (each metric meets every value). */
function edgeRows(metrics: readonly string[]): { rowNumber: number; row: CanonicalRow }[] {
  return metrics.map((_, i) => ({
    rowNumber: i + 2,
    row: {
      date: '2025-09-01',
      campaign_external_id: campaign.id,
      campaign_name: campaign.name,
      impressions: metrics[i]!,
      clicks: metrics[(i + 1) % metrics.length]!,
      spend: metrics[(i + 2) % metrics.length]!,
      conversions: metrics[(i + 3) % metrics.length]!,
      conversion_value: metrics[(i + 4) % metrics.length]!,
      currency: 'USD',
    },
  }));
}

describe('local store migration 007 (metrics kept as digits and scale)', () => {
  it('takes a version-6 store to version 7 with every metric read back as the text it was, digit for digit', () => {
    const db = at(6);
    addValidation(db, 'v1');
    addValidation(db, 'v2');
    db.prepare("insert into validation_row_sets (key, validation_id) values (1, 'v1'), (2, 'v2')").run();
    db.prepare(
      "insert into validated_entities values (1, 0, '2384', 'Prospecting | US', '2385', 'LAL 1%', '2386', 'Video'), (2, 0, '9001', 'Brand', null, null, null, null)",
    ).run();
    const fact = db.prepare('insert into validated_facts values (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)');
    edgeRows(EDGE_METRICS).forEach(({ rowNumber, row: r }) =>
      fact.run(1, rowNumber, '2025-09-01', r.impressions, r.clicks, r.spend, r.conversions, r.conversion_value, 'USD'),
    );
    fact.run(2, 2, '2025-09-02', '10', '1', '0', '0.5', '0', null);
    const before = db.prepare(everyColumn).raw().all();
    expect(before).toHaveLength(EDGE_METRICS.length + 1);

    expect(migrate(db, MIGRATIONS, 7)).toEqual([7]);
    expect(userVersion(db)).toBe(7);
    expect(db.prepare(everyColumn).raw().all()).toEqual(before);
    // Numbers, not text; a text only for the metrics a double does not hold.
    expect(db.prepare('select distinct typeof(impressions), typeof(spend), typeof(scales) from validated_facts').raw().all()).toEqual([
      ['integer', 'integer', 'integer'],
    ]);
    const longs = db.prepare('select long from validated_facts where long is not null').pluck().all() as string[];
    expect(longs.length).toBeGreaterThan(0);
    for (const l of longs)
      for (const text of JSON.parse(l) as (string | null)[]) if (text !== null) expect(text.replace('.', '').length).toBeGreaterThan(15);
    expect(validatedRows(db, 'v2').map((r) => r.row)).toEqual([
      {
        date: '2025-09-02',
        campaign_external_id: '9001',
        campaign_name: 'Brand',
        impressions: '10',
        clicks: '1',
        spend: '0',
        conversions: '0.5',
        conversion_value: '0',
      },
    ]);
  });

  it('leaves a version-6 store as it was when a stored number would not read back exactly', () => {
    const db = at(6);
    addValidation(db, 'v1');
    db.prepare("insert into validation_row_sets (key, validation_id) values (1, 'v1')").run();
    db.prepare("insert into validated_entities values (1, 0, '9001', 'Brand', null, null, null, null)").run();
    // Never written by metricdrop (not a canonical decimal): moved as digits it would read back as 12.
    db.prepare("insert into validated_facts values (1, 2, '2025-09-01', 0, '012', '1', '0.5', '0', '0', 'USD')").run();
    const before = db.prepare(everyColumn).raw().all();
    expect(() => migrate(db, MIGRATIONS, 7)).toThrow(
      /1 validated row\(s\) whose numbers this version cannot keep exactly, so it was not updated/,
    );
    expect(userVersion(db)).toBe(6);
    expect(db.prepare(everyColumn).raw().all()).toEqual(before);
  });

  it('records rows given one by one, and a row table, as the texts they were validated as', () => {
    const db = at(7);
    addValidation(db, 'one-by-one');
    addValidation(db, 'table');
    const rows = edgeRows(EDGE_METRICS);
    new ValidatedRowWriter(db, 'one-by-one').writeRows(rows);
    const table = new RowTable('campaign', 'USD');
    for (const { rowNumber, row: r } of rows)
      table.push(rowNumber, campaign, r.date, r.impressions, r.clicks, r.spend, r.conversions, r.conversion_value);
    new ValidatedRowWriter(db, 'table').writeAll(table);
    expect(validatedRows(db, 'one-by-one')).toEqual(rows);
    expect(validatedRows(db, 'table')).toEqual(rows);
    expect(validatedRowsPage(db, 'table', 5, 7)).toEqual(rows.slice(5, 12));
  });

  it('reads random metrics of up to 15 digits back exactly', () => {
    let seed = 424242;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const metrics: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const length = 1 + (next() % 15);
      const digits = (BigInt(next()) * 2147483648n + BigInt(next())) % 10n ** BigInt(length);
      metrics.push(decimal(digits, next() % Math.min(15, length + 1)));
    }
    const db = at(7);
    addValidation(db, 'v');
    const rows = edgeRows(metrics);
    new ValidatedRowWriter(db, 'v').writeRows(rows);
    expect(validatedRows(db, 'v')).toEqual(rows);
  });

  it("reads a validation's rows in order through the keys, and forgets them with their validation", () => {
    const db = at(7);
    addValidation(db, 'v1');
    new ValidatedRowWriter(db, 'v1').writeRows(edgeRows(['2', '3', '4']));
    const plan = (sql: string) =>
      db
        .prepare(`explain query plan ${sql}`)
        .all()
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    const rowsPlan = plan("select * from validated_rows where validation_id = 'v1' order by row_number");
    expect(rowsPlan).toMatch(/SEARCH s USING (COVERING )?INDEX sqlite_autoindex_validation_row_sets_1 \(validation_id=\?\)/);
    expect(rowsPlan).toMatch(/SEARCH f USING PRIMARY KEY \(row_set=\?\)/);
    expect(rowsPlan).toMatch(/SEARCH e USING PRIMARY KEY \(row_set=\? AND number=\?\)/);
    expect(rowsPlan).not.toMatch(/TEMP B-TREE/);
    expect(validatedRows(db, 'v1').map((r) => r.row.impressions)).toEqual(['2', '3', '4']);
    expect(validatedRowCount(db, 'v1')).toBe(3);

    db.prepare("delete from validations where id = 'v1'").run();
    const left = ['validation_row_sets', 'validated_entities', 'validated_facts'].map((t) =>
      db.prepare(`select count(*) from ${t}`).pluck().get(),
    );
    expect(left).toEqual([0, 0, 0]);
  });
});
