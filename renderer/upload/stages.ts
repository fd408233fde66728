import type { UploadProgress, UploadStage } from '../../shared/ipc-contract.ts';

export const STAGES: { stage: UploadStage; label: string; unit: string }[] = [
  { stage: 'begin', label: 'Check limits and start', unit: 'steps' },
  { stage: 'stage', label: 'Send rows', unit: 'rows' },
  { stage: 'dimensions', label: 'Campaigns, ad sets, ads', unit: 'entity types' },
  { stage: 'facts', label: 'Write daily rows', unit: 'rows' },
  { stage: 'finish', label: 'Finish', unit: 'steps' },
];

export interface StageBar {
  stage: UploadStage;
  label: string;
  unit: string;
  state: 'pending' | 'running' | 'done';
  fraction: number;
  progress: UploadProgress | null;
}

/** One bar per stage: a stage is done once a later stage has reported, or its count is complete. */
export function stageBars(stages: Partial<Record<UploadStage, UploadProgress>>, finished: boolean): StageBar[] {
  const lastIndex = STAGES.reduce((acc, s, i) => (stages[s.stage] ? i : acc), -1);
  return STAGES.map((s, i) => {
    const p = stages[s.stage] ?? null;
    const complete = p !== null && p.total > 0 && p.done >= p.total;
    const state = finished || i < lastIndex || complete ? 'done' : p ? 'running' : 'pending';
    const fraction = state === 'done' ? 1 : p && p.total > 0 ? Math.min(1, p.done / p.total) : 0;
    return { ...s, state, fraction, progress: p };
  });
}
