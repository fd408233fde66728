import type { HistoryDetail } from '../../shared/ipc-contract.ts';
import { Refusal } from '../files/FileDetail.tsx';
import { formatCount, formatDateTime, formatDuration, formatTime, LEVEL_LABEL, PLATFORM_LABEL } from '../format.ts';
import { PlanTable } from '../plan/PlanPanel.tsx';
import { groupStages } from './group-stages.ts';
import { statusTone } from './HistoryScreen.tsx';

function seconds(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  return (new Date(to).getTime() - new Date(from).getTime()) / 1000;
}

export function HistoryDetailView(props: { detail: HistoryDetail }) {
  const d = props.detail;
  return (
    <div className="stack" data-testid="history-detail">
      <h2 className="detail-title">{d.fileName}</h2>
      <dl className="facts">
        <div>
          <dt>What</dt>
          <dd>{d.kind}{d.mode ? ` (${d.mode})` : ''}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span className={`badge ${statusTone(d.status)}`}>{d.status}</span>
          </dd>
        </div>
        <div>
          <dt>Client</dt>
          <dd>{d.clientName ?? '—'}</dd>
        </div>
        <div>
          <dt>Platform</dt>
          <dd>
            {d.platform ? PLATFORM_LABEL[d.platform] : '—'}
            {d.level ? ` · ${LEVEL_LABEL[d.level]}` : ''}
          </dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd>
            {formatCount(d.rows)}
            {d.issues > 0 ? ` · ${formatCount(d.issues)} issues` : ''}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(d.createdAt)}</dd>
        </div>
        <div>
          <dt>Took</dt>
          <dd>{formatDuration(seconds(d.createdAt, d.finishedAt))}</dd>
        </div>
        {d.uploadId && (
          <div>
            <dt>Upload id</dt>
            <dd>
              <code>{d.uploadId}</code>
            </dd>
          </div>
        )}
      </dl>
      {d.error && <Refusal error={d.error} />}
      {d.plan && (
<PlanTable plan={d.plan} committed={d.mode === 'COMMIT'} />
      )}
      {d.stages.length > 0 && (
        <table className="stages-table">
          <caption>Stages</caption>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Started</th>
              <th scope="col">Took</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {groupStages(d.stages).map((s, i) => (
              <tr key={i}>
                <td>
                  {s.label}
                  {s.steps > 1 && <span className="muted small"> · {s.steps} batches</span>}
                </td>
                <td className="nowrap">{s.startedAt ? formatTime(s.startedAt) : '—'}</td>
                <td className="num nowrap">{formatDuration(seconds(s.startedAt, s.finishedAt))}</td>
                <td>
                  {s.error ? (
                    <span className="bad-text">{s.error}</span>
                  ) : s.counts ? (
                    `${formatCount(s.counts.create)} new, ${formatCount(s.counts.update)} upd., ${formatCount(s.counts.unchanged)} same`
                  ) : (
                    'done'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
