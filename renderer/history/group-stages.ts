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

const LABEL: Record<string, string> = {
  begin: 'Check limits and start',
  stage: 'Send rows',
  facts: 'Write daily rows',
  finish: 'Finish',
  promote: 'Commit the dry run',
  'dimensions:campaign': 'Campaigns',
  'dimensions:ad_set': 'Ad sets',
  'dimensions:ad': 'Ads',
};

const keyOf = (step: string) => (step.startsWith('dimensions:') ? step : (step.split(':')[0] ?? step));

/**
 * The journal's steps (`stage:0`, `stage:1`, …, `facts:29`) as one line per stage, with the batches
 * counted and their counts summed. Steps before `promote` were the dry run the upload committed.
 */
export function groupStages(stages: readonly Step[]): StageGroup[] {
  const promoted = stages.some((s) => s.stage === 'promote');
  let inDryRun = promoted;
  const groups: (StageGroup & { key: string; dry: boolean })[] = [];
  for (const s of stages) {
    if (s.stage === 'promote') inDryRun = false;
    const key = keyOf(s.stage);
    const last = groups[groups.length - 1];
    if (last && last.key === key && last.dry === inDryRun) {
      last.steps++;
      last.startedAt = [last.startedAt, s.startedAt].filter((x): x is string => x !== null).sort()[0] ?? null;
      last.finishedAt = [last.finishedAt, s.finishedAt].filter((x): x is string => x !== null).sort().at(-1) ?? null;
      if (last.counts && s.counts) {
        last.counts = { create: last.counts.create + s.counts.create, update: last.counts.update + s.counts.update, unchanged: last.counts.unchanged + s.counts.unchanged };
      } else if (s.counts) last.counts = s.counts;
      last.error = last.error ?? s.error;
      continue;
    }
    groups.push({
      key,
      dry: inDryRun,
      label: `${inDryRun ? 'Dry run: ' : ''}${LABEL[key] ?? key}`,
      steps: 1,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      counts: s.counts,
      error: s.error,
    });
  }
  return groups.map(({ key: _k, dry: _d, ...g }) => g);
}
