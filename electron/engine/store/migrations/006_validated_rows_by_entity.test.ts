import { describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { addValidation, EVERY_VALIDATED_ROW_COLUMN as everyColumn, storeAt as at } from '../../../../test/support/store-versions.ts';
import { validatedRowCount, validatedRows } from '../validations.ts';

// Rows as a version-5 store holds them: an ad renamed part-way (the same id under two names), a
// campaign-level validation with no ad sets or ads and no currency, and a value longer than a double.
const OLD_ROWS = [
  [
    'v1',
    2,
    '2025-09-01',
    '2384',
    'Prospecting | US',
    '2385',
    'Lookalike 1%',
    '2386',
    'Video 15s',
    '19233',
    '171',
    '152.734418',
    '4',
    '512.6',
    'USD',
  ],
  ['v1', 3, '2025-09-01', '2384', 'Prospecting | US', '2385', 'Lookalike 1%', '2387', 'Static', '1', '0', '0.5', '0', '0', 'USD'],
  ['v1', 4, '2025-09-02', '2384', 'Prospecting | US', '2385', 'Lookalike 1%', '2386', 'Video 15s v2', '7', '1', '3', '0', '0', 'USD'],
  [
    'v1',
    5,
    '2025-09-02',
    '2384',
    'Prospecting | US',
    '2385',
    'Lookalike 1%',
    '2386',
    'Video 15s',
    '8',
    '2',
    '12345678901234567890.123456789012',
    '1',
    '9.25',
    'USD',
  ],
  ['v2', 7, '2025-09-01', '9001', 'Brand', null, null, null, null, '10', '1', '0', '0', '0', null],
  ['v2', 8, '2025-09-02', '9001', 'Brand', null, null, null, null, '11', '2', '1.01', '0.5', '0', null],
];

describe('local store migration 006 (each entity of a validation stored once)', () => {
  it('takes a version-5 store to version 6 with every row read back digit for digit, each entity once', () => {
    const db = at(5);
    addValidation(db, 'v1');
    addValidation(db, 'v2');
    const insert = db.prepare(`insert into validated_rows values (${Array(15).fill('?').join(', ')})`);
    for (const r of OLD_ROWS) insert.run(...r);
    const before = db.prepare(everyColumn).raw().all();
    expect(before).toEqual(OLD_ROWS);

    expect(migrate(db, MIGRATIONS, 6)).toEqual([6]);
    expect(userVersion(db)).toBe(6);
    expect(db.prepare(everyColumn).raw().all()).toEqual(before);
    // Three chains in v1 (the renamed ad is a chain of its own), one in v2.
    expect(db.prepare('select count(*) from validated_entities').pluck().get()).toBe(4);
    expect(db.prepare("select type from sqlite_master where name = 'validated_rows'").pluck().get()).toBe('view');
    // The index the move used is gone with it.
    expect(db.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'validated_entities'").pluck().all()).toEqual([]);
    expect(validatedRowCount(db, 'v1')).toBe(4);
    expect(validatedRows(db, 'v2').map((r) => r.row)).toEqual([
      {
        date: '2025-09-01',
        campaign_external_id: '9001',
        campaign_name: 'Brand',
        impressions: '10',
        clicks: '1',
        spend: '0',
        conversions: '0',
        conversion_value: '0',
      },
      {
        date: '2025-09-02',
        campaign_external_id: '9001',
        campaign_name: 'Brand',
        impressions: '11',
        clicks: '2',
        spend: '1.01',
        conversions: '0.5',
        conversion_value: '0',
      },
    ]);
  });

  it('refuses a row whose entity or validation is not there', () => {
    const db = at(6);
    addValidation(db, 'v1');
    db.prepare("insert into validation_row_sets (key, validation_id) values (1, 'v1')").run();
    const fact = db.prepare("insert into validated_facts values (1, 2, '2025-09-01', ?, '1', '0', '0', '0', '0', null)");
    expect(() => fact.run(0)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("insert into validation_row_sets (validation_id) values ('nope')").run()).toThrow(/FOREIGN KEY/);
  });
});
