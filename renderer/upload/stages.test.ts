import { describe, expect, it } from 'vitest';
import type { UploadProgress } from '../../shared/ipc-contract.ts';
import { stageBars } from './stages.ts';

const p = (stage: UploadProgress['stage'], done: number, total: number): UploadProgress => ({
  uploadId: '00000000-0000-4000-8000-000000000001',
  mode: 'COMMIT',
  stage,
  done,
  total,
  rowsPerSecond: 1000,
  etaSeconds: 3,
});

describe('stage bars', () => {
  it('shows earlier stages done, the reporting stage running with its fraction, later ones pending', () => {
    const bars = stageBars({ begin: p('begin', 1, 1), stage: p('stage', 2500, 10000) }, false);
    expect(bars.map((b) => [b.stage, b.state])).toEqual([
      ['begin', 'done'],
      ['stage', 'running'],
      ['dimensions', 'pending'],
      ['facts', 'pending'],
      ['finish', 'pending'],
    ]);
    expect(bars[1]!.fraction).toBe(0.25);
  });
  it('a stage is done once a later one reports even if its last event was short of the total', () => {
    const bars = stageBars({ stage: p('stage', 9000, 10000), facts: p('facts', 0, 10000) }, false);
    expect(bars.find((b) => b.stage === 'stage')!.state).toBe('done');
    expect(bars.find((b) => b.stage === 'facts')!.state).toBe('running');
  });
  it('everything is done when the run finished', () => {
    expect(stageBars({}, true).every((b) => b.state === 'done' && b.fraction === 1)).toBe(true);
  });
});
