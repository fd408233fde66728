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
  it('merges batches of a stage, sums their counts, and marks what ran in the committed dry run', () => {
    const groups = groupStages([
      step('begin', 0),
      step('stage:0', 1),
      step('stage:1', 2),
      step('facts:0', 3, [1000, 0, 0]),
      step('promote', 4),
      step('dimensions:campaign', 5, [2, 0, 1]),
      step('dimensions:ad_set', 6, [3, 0, 0]),
      step('facts:0', 7, [1000, 0, 0]),
      step('facts:1', 8, [400, 5, 0]),
      step('finish', 9),
    ]);
    expect(groups.map((g) => [g.label, g.steps, g.counts])).toEqual([
      ['Dry run: Check limits and start', 1, null],
      ['Dry run: Send rows', 2, null],
      ['Dry run: Write daily rows', 1, { create: 1000, update: 0, unchanged: 0 }],
      ['Commit the dry run', 1, null],
      ['Campaigns', 1, { create: 2, update: 0, unchanged: 1 }],
      ['Ad sets', 1, { create: 3, update: 0, unchanged: 0 }],
      ['Write daily rows', 2, { create: 1400, update: 5, unchanged: 0 }],
      ['Finish', 1, null],
    ]);
    expect(groups[1]).toMatchObject({ startedAt: '2025-09-01T10:00:01.000Z', finishedAt: '2025-09-01T10:00:03.000Z' });
  });
  it('has no dry-run lines for an upload that was not a committed dry run', () => {
    expect(groupStages([step('begin', 0), step('stage:0', 1)]).map((g) => g.label)).toEqual(['Check limits and start', 'Send rows']);
  });
});
