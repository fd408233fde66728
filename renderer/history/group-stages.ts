import type { HistoryDetail } from '../../shared/ipc-contract.ts';

type Step = HistoryDetail['stages'][number];

export interface StageGroup {
  label: string;
  steps: number;
  startedAt: string | null;
  finishedAt: string | null;
  counts: { create: number; update: number; unchanged: number } | null;
  error: string | null;
}

/** The stages of an upload in the order they run, with the words the window uses for them. */
const ORDER: [key: string, label: string][] = [
  ['begin', 'Check limits and start'],
  ['stage', 'Send rows'],
  ['promote', 'Commit the dry run'],
  ['dimensions:campaign', 'Campaigns'],
  ['dimensions:ad_set', 'Ad sets'],
  ['dimensions:ad', 'Ads'],
  ['facts', 'Write daily rows'],
  ['finish', 'Finish'],
];

const keyOf = (step: string) => (step.startsWith('dimensions:') ? step : (step.split(':')[0] ?? step));

/**
 * The journal's steps (`stage:0`, `stage:1`, …, `facts:29`) as one line per stage: batches counted,
 * their counts summed, from the first start to the last finish. Stages this window does not know
 * keep their journal name and come last.
 */
export function groupStages(stages: readonly Step[]): StageGroup[] {
  const byKey = new Map<string, StageGroup>();
  for (const s of stages) {
    const key = keyOf(s.stage);
    const g = byKey.get(key);
    if (!g) {
      byKey.set(key, {
        label: ORDER.find(([k]) => k === key)?.[1] ?? s.stage,
        steps: 1,
        startedAt: s.startedAt,
        finishedAt: s.finishedAt,
        counts: s.counts,
        error: s.error,
      });
      continue;
    }
    g.steps++;
    if (s.startedAt !== null && (g.startedAt === null || s.startedAt < g.startedAt)) g.startedAt = s.startedAt;
    if (s.finishedAt !== null && (g.finishedAt === null || s.finishedAt > g.finishedAt)) g.finishedAt = s.finishedAt;
    if (s.counts) {
      g.counts = g.counts
        ? {
            create: g.counts.create + s.counts.create,
            update: g.counts.update + s.counts.update,
            unchanged: g.counts.unchanged + s.counts.unchanged,
          }
        : s.counts;
    }
    g.error ??= s.error;
  }
  const rank = (key: string) => {
    const i = ORDER.findIndex(([k]) => k === key);
    return i === -1 ? ORDER.length : i;
  };
  return [...byKey.entries()].sort(([a], [b]) => rank(a) - rank(b)).map(([, g]) => g);
}
