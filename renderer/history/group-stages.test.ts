import { describe, expect, it } from 'vitest';
import { groupStages } from './group-stages.ts';

const step = (stage: string, at: number, counts: [number, number, number] | null = null) => ({
  stage,
  startedAt: new Date(Date.UTC(2025, 8, 1, 10, 0, at)).toISOString(),
  finishedAt: new Date(Date.UTC(2025, 8, 1, 10, 0, at + 1)).toISOString(),
  counts: counts ? { create: counts[0], update: counts[1], unchanged: counts[2] } : null,
  error: null,
});

describe('history stages', () => {
  it('shows one line per stage in running order, batches counted and counts summed, whatever order the journal lists them in', () => {
    const groups = groupStages([
      step('begin', 0),
      step('stage:1', 2),
      step('stage:0', 1),
      step('facts:2', 3, [1000, 0, 0]),
      step('promote', 4),
      step('dimensions:ad_set', 6, [3, 0, 0]),
      step('dimensions:campaign', 5, [2, 0, 1]),
      step('facts:0', 7, [1000, 0, 0]),
      step('facts:1', 8, [400, 5, 0]),
      step('finish', 9),
      step('cleanup', 10),
    ]);
    expect(groups.map((g) => [g.label, g.steps, g.counts])).toEqual([
      ['Check limits and start', 1, null],
      ['Send rows', 2, null],
      ['Commit the dry run', 1, null],
      ['Campaigns', 1, { create: 2, update: 0, unchanged: 1 }],
      ['Ad sets', 1, { create: 3, update: 0, unchanged: 0 }],
      ['Write daily rows', 3, { create: 2400, update: 5, unchanged: 0 }],
      ['Finish', 1, null],
      ['cleanup', 1, null],
    ]);
    expect(groups[1]).toMatchObject({ startedAt: '2025-09-01T10:00:01.000Z', finishedAt: '2025-09-01T10:00:03.000Z' });
    expect(groups[5]).toMatchObject({ startedAt: '2025-09-01T10:00:03.000Z', finishedAt: '2025-09-01T10:00:09.000Z' });
  });
});
