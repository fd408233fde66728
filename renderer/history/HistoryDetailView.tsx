import type { HistoryDetail } from '../../shared/ipc-contract.ts';
import { Fact, Refusal } from '../controls.tsx';
import { formatCount, formatDateTime, formatDuration, formatTime, LEVEL_LABEL, PLATFORM_LABEL } from '../format.ts';
import { PlanTable } from '../plan/PlanPanel.tsx';
import { groupStages } from './group-stages.ts';
import { StatusBadge } from './StatusBadge.tsx';

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
        <Fact term="What">
          {d.kind}
          {d.mode ? ` (${d.mode})` : ''}
        </Fact>
        <Fact term="Status">
          <StatusBadge status={d.status} />
        </Fact>
        <Fact term="Client">{d.clientName ?? '—'}</Fact>
        <Fact term="Platform">
          {d.platform ? PLATFORM_LABEL[d.platform] : '—'}
          {d.level ? ` · ${LEVEL_LABEL[d.level]}` : ''}
        </Fact>
        <Fact term="Rows">
          {formatCount(d.rows)}
          {d.issues > 0 ? ` · ${formatCount(d.issues)} issues` : ''}
        </Fact>
        <Fact term="Started">{formatDateTime(d.createdAt)}</Fact>
        <Fact term="Took">{formatDuration(seconds(d.createdAt, d.finishedAt))}</Fact>
        {d.uploadId && (
          <Fact term="Upload id">
            <code>{d.uploadId}</code>
          </Fact>
        )}
        {d.mapping && (
          <Fact term="Columns">
            <span data-testid="history-mapping">{d.mapping.note}</span>
          </Fact>
        )}
      </dl>
      {d.error && <Refusal error={d.error} />}
      {d.plan && <PlanTable plan={d.plan} committed={d.mode === 'COMMIT'} />}
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
