import { describe, expect, it } from 'vitest';
import { DuplicateDays } from './duplicate-days.ts';
import type { Entity } from './entities.ts';
import { testEntity } from '../../../test/support/entities.ts';
import { RowTable } from './row-table.ts';

const entity = (id: string): Entity => testEntity(id, `Ad ${id}`);
const day = (d: number) => `2025-${String(Math.floor(d / 28) + 1).padStart(2, '0')}-${String((d % 28) + 1).padStart(2, '0')}`;

/** Validates rows (entity, day) in order as the mapper does: a row with an earlier match is a duplicate and not kept. */
function run(rows: [Entity, string][]): (number | undefined)[] {
  const table = new RowTable('campaign', null);
  const days = new DuplicateDays(table);
  return rows.map(([e, d], i) => {
    const earlier = days.earlier(e, ` ${d}`.slice(1)); // a copy of the text, not the same string
    if (earlier === undefined) {
      days.add(e, d, i + 2);
      table.push(i + 2, e, d, '1', '1', '1', '0', '0');
    }
    return earlier;
  });
}

describe('DuplicateDays', () => {
  it('finds the earlier row of the same entity and day, in ascending, descending and shuffled order', () => {
    for (const order of ['ascending', 'descending', 'shuffled'] as const) {
      const a = entity('1');
      const b = entity('2');
      const ds = Array.from({ length: 40 }, (_, i) => i);
      if (order === 'descending') ds.reverse();
      if (order === 'shuffled') ds.sort((x, y) => ((x * 7919) % 41) - ((y * 7919) % 41));
      const rows: [Entity, string][] = [];
      for (const d of ds) rows.push([a, day(d)], [b, day(d)]);
      // Then every row of `a` again, and a day neither has.
      for (const d of ds) rows.push([a, day(d)]);
      rows.push([a, day(40)], [b, day(40)]);
      const found = run(rows);
      expect(found.slice(0, 80)).toEqual(Array(80).fill(undefined));
      expect(found.slice(80, 120)).toEqual(ds.map((_, k) => 2 + 2 * k));
      expect(found.slice(120)).toEqual([undefined, undefined]);
    }
  });

  it("finds nothing for a day inside an entity's range that it has no row of, nor for another entity", () => {
    const a = entity('1');
    const b = entity('2');
    expect(
      run([
        [a, '2025-09-01'],
        [a, '2025-09-30'],
        [a, '2025-09-15'],
        [b, '2025-09-15'],
        [a, '2025-09-15'],
        [b, '2025-09-15'],
      ]),
    ).toEqual([undefined, undefined, undefined, undefined, 4, 5]);
  });
});
