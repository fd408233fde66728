import { describe, expect, it } from 'vitest';
import { DayRows } from './entities.ts';

const day = (d: number) => `2025-${String(Math.floor(d / 28) + 1).padStart(2, '0')}-${String((d % 28) + 1).padStart(2, '0')}`;

describe('DayRows', () => {
  it('finds the row of a day already seen, in ascending, descending and shuffled order, before and after it grows long', () => {
    for (const order of ['ascending', 'descending', 'shuffled'] as const) {
      const days = Array.from({ length: 40 }, (_, i) => i);
      if (order === 'descending') days.reverse();
      if (order === 'shuffled') days.sort((a, b) => ((a * 7919) % 41) - ((b * 7919) % 41));
      const rows = new DayRows();
      days.forEach((d, i) => {
        expect(rows.rowOf(day(d))).toBeUndefined();
        rows.add(day(d), 100 + i);
        // Every day added so far is found with its row (a copy of the text, not the same string).
        for (let k = 0; k <= i; k++) expect(rows.rowOf(` ${day(days[k]!)}`.slice(1))).toBe(100 + k);
      });
      expect(rows.rowOf(day(40))).toBeUndefined();
      expect(rows.rowOf('2024-12-31')).toBeUndefined();
    }
  });

  it('finds nothing for a day inside the range that has no row', () => {
    const rows = new DayRows();
    rows.add('2025-09-01', 2);
    rows.add('2025-09-30', 3);
    expect(rows.rowOf('2025-09-15')).toBeUndefined();
    expect(rows.rowOf('2025-09-30')).toBe(3);
  });
});
