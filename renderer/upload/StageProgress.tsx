import type { UploadProgress, UploadStage } from '../../shared/ipc-contract.ts';
import { formatCount } from '../format.ts';
import { rateText, stageBars } from './stages.ts';

export function StageProgress(props: { stages: Partial<Record<UploadStage, UploadProgress>>; finished: boolean }) {
  const bars = stageBars(props.stages, props.finished);
  return (
    <ol className="stages" aria-label="Upload stages">
      {bars.map((b) => (
        <li key={b.stage} className={`stage ${b.state}`} data-testid={`stage-${b.stage}`} data-state={b.state}>
          <div className="stage-head">
            <span className="stage-label">{b.label}</span>
            <span className="stage-meta">
              {b.progress && b.progress.total > 0 && `${formatCount(b.progress.done)} / ${formatCount(b.progress.total)} ${b.unit}`}
              {rateText(b) && ` · ${rateText(b)}`}
              {b.state === 'done' && ' ✓'}
            </span>
          </div>
          <div
            className="bar-track"
            role="progressbar"
            aria-label={b.label}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(b.fraction * 100)}
          >
            <div className="bar-fill" style={{ width: `${b.fraction * 100}%` }} />
          </div>
        </li>
      ))}
    </ol>
  );
}
