import type { InterruptedUpload } from '../../shared/ipc-contract.ts';
import { formatCount, formatDateTime } from '../format.ts';

export function ResumeBanner(props: { uploads: InterruptedUpload[]; busy: boolean; onResume(): void }) {
  const { uploads } = props;
  if (uploads.length === 0) return null;
  return (
    <section className="banner" role="region" aria-label="Interrupted uploads">
      <div>
        <strong>{uploads.length === 1 ? 'An upload was interrupted.' : `${uploads.length} uploads were interrupted.`}</strong> metricdrop
        can continue {uploads.length === 1 ? 'it' : 'them'} where {uploads.length === 1 ? 'it' : 'they'} stopped; nothing is written twice.
        <ul className="banner-list">
          {uploads.map((u) => (
            <li key={u.uploadId}>
              {u.fileName}
              {u.clientName ? ` for ${u.clientName}` : ''}
              {u.notSent
                ? ` · asked for ${formatDateTime(u.startedAt)} · stopped before anything was sent: resuming reads the file again, if it has not changed since`
                : ` · ${formatCount(u.rows)} rows · started ${formatDateTime(u.startedAt)}${u.lastStage ? ` · stopped during ${u.lastStage}` : ''}`}
            </li>
          ))}
        </ul>
      </div>
      <button type="button" className="primary" disabled={props.busy} onClick={props.onResume}>
        {props.busy ? 'Resuming…' : uploads.length === 1 ? 'Resume upload' : 'Resume all'}
      </button>
    </section>
  );
}
