import { describe, expect, it } from 'vitest';
import type { UploadProgress } from '../../shared/ipc-contract.ts';
import { rateText, stageBars } from './stages.ts';

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
  it('a running stage says its rate in rows and MB per second and the time left; a finished or waiting one says nothing', () => {
    const sending = { ...p('stage', 24_000, 100_000), rowsPerSecond: 12_400, bytesPerSecond: 545_000, etaSeconds: 6.1 };
    const [, bar] = stageBars({ begin: p('begin', 1, 1), stage: sending }, false);
    expect(rateText(bar!)).toBe('12,400 rows/s · 0.52 MB/s · 6 s left');
    const [, done] = stageBars({ stage: sending, dimensions: p('dimensions', 0, 3) }, false);
    expect(rateText(done!)).toBe('');
    const dims = stageBars({ dimensions: { ...p('dimensions', 1, 3), rowsPerSecond: 2, etaSeconds: 1 } }, false).find(
      (b) => b.stage === 'dimensions',
    );
    expect(rateText(dims!)).toBe('1 s left');
    const facts = stageBars({ facts: { ...p('facts', 3000, 100_000), bytesPerSecond: null, etaSeconds: 75 } }, false).find(
      (b) => b.stage === 'facts',
    );
    expect(rateText(facts!)).toBe('1,000 rows/s · 1 min 15 s left');
  });
});
