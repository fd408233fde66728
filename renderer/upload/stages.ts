import type { UploadProgress, UploadStage } from '../../shared/ipc-contract.ts';
import { formatCount, formatDuration } from '../format.ts';

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

/**
 * How fast a running stage goes and how long it has left, as the bar's caption says it:
 * `12,400 rows/s · 0.52 MB/s · 40 s left`. Bytes are counted while rows are sent (a slow link shows
 * there); the entity stage counts types, not rows, so it shows no rate.
 */
export function rateText(bar: Pick<StageBar, 'state' | 'unit' | 'progress'>): string {
  const p = bar.progress;
  if (bar.state !== 'running' || !p) return '';
  const parts: string[] = [];
  if (bar.unit === 'rows' && p.rowsPerSecond != null) parts.push(`${formatCount(Math.round(p.rowsPerSecond))} rows/s`);
  if (p.bytesPerSecond != null) parts.push(`${(p.bytesPerSecond / 1024 / 1024).toFixed(2)} MB/s`);
  if (p.etaSeconds != null && p.done < p.total) parts.push(`${formatDuration(p.etaSeconds)} left`);
  return parts.join(' · ');
}
