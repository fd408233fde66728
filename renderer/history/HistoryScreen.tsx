import { useEffect, useState } from 'react';
import { Platform } from '../../shared/canonical.ts';
import {
  HistoryStatus,
  type Client,
  type HistoryDetail,
  type HistoryEntry,
  type HistoryQuery,
  type IpcError,
} from '../../shared/ipc-contract.ts';
import { useApi } from '../api/api-context.tsx';
import { Picker, Refusal } from '../controls.tsx';
import { formatCount, formatDateTime, PLATFORM_LABEL } from '../format.ts';
import { HistoryDetailView } from './HistoryDetailView.tsx';
import { StatusBadge } from './StatusBadge.tsx';

const STATUSES = HistoryStatus.options;
const PLATFORMS = Platform.options;

/** The local audit log: what this computer validated, dry-ran and uploaded. */
export function HistoryScreen(props: { clients: Client[] }) {
  const api = useApi();
  const [query, setQuery] = useState<HistoryQuery>({ limit: 500 });
  const [entries, setEntries] = useState<HistoryEntry[] | IpcError | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [detail, setDetail] = useState<HistoryDetail | IpcError | null>(null);

  useEffect(() => {
    let live = true;
    void api.history.list(query).then((r) => live && setEntries(r.ok ? r.value : r.error));
    return () => {
      live = false;
    };
  }, [api, query]);

  useEffect(() => {
    if (openId === null) return setDetail(null);
    let live = true;
    void api.history.get({ id: openId }).then((r) => live && setDetail(r.ok ? r.value : r.error));
    return () => {
      live = false;
    };
  }, [api, openId]);

  const set = (patch: Partial<HistoryQuery>) => {
    const next: HistoryQuery = { ...query, ...patch };
    for (const k of Object.keys(next) as (keyof HistoryQuery)[]) if (next[k] === undefined || next[k] === '') delete next[k];
    setQuery(next);
  };

  return (
    <main className="page history">
      <section className="panel">
        <div className="panel-head">
          <h1>History</h1>
          <p className="muted">Every validation, dry run and upload made on this computer.</p>
        </div>
        <div className="filters" role="search">
          <Picker
            label="Client"
            value={query.clientId ?? ''}
            onChange={(v) => set({ clientId: v || undefined })}
            options={[{ value: '', label: 'All clients' }, ...props.clients.map((c) => ({ value: c.id, label: c.name }))]}
          />
          <Picker
            label="Platform"
            value={query.platform ?? ''}
            onChange={(v) => set({ platform: (v || undefined) as HistoryQuery['platform'] })}
            options={[{ value: '', label: 'All platforms' }, ...PLATFORMS.map((p) => ({ value: p, label: PLATFORM_LABEL[p] }))]}
          />
          <Picker
            label="Status"
            value={query.status ?? ''}
            onChange={(v) => set({ status: (v || undefined) as HistoryQuery['status'] })}
            options={[{ value: '', label: 'Any status' }, ...STATUSES.map((s) => ({ value: s, label: s }))]}
          />
          <label className="picker">
            <span>From</span>
            <input type="date" aria-label="From" value={query.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
          </label>
          <label className="picker">
            <span>To</span>
            <input type="date" aria-label="To" value={query.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
          </label>
        </div>
        {entries === null ? (
          <p className="muted">Loading…</p>
        ) : !Array.isArray(entries) ? (
          <Refusal error={entries} />
        ) : entries.length === 0 ? (
          <p className="muted empty">Nothing matches these filters yet.</p>
        ) : (
          <table className="history-table" data-testid="history-table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">File</th>
                <th scope="col">Client</th>
                <th scope="col">Platform</th>
                <th scope="col" className="num">
                  Rows
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr
                  key={e.id}
                  className={openId === e.id ? 'selected' : undefined}
                  onClick={() => setOpenId(e.id)}
                  data-testid="history-row"
                >
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td>{e.kind}</td>
                  <td>
                    <button type="button" className="link" onClick={() => setOpenId(e.id)}>
                      {e.fileName}
                    </button>
                  </td>
                  <td>{e.clientName ?? '—'}</td>
                  <td>{e.platform ? PLATFORM_LABEL[e.platform] : '—'}</td>
                  <td className="num">{formatCount(e.rows)}</td>
                  <td>
                    <StatusBadge status={e.status} />
                    {e.error && <span className="bad-text small"> {e.error.code}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {openId !== null && (
        <aside className="panel history-detail" aria-label="Entry details">
          <button type="button" className="icon-button close" aria-label="Close details" onClick={() => setOpenId(null)}>
            ×
          </button>
          {detail === null ? (
            <p className="muted">Loading…</p>
          ) : 'stages' in detail ? (
            <HistoryDetailView detail={detail} />
          ) : (
            <Refusal error={detail} />
          )}
        </aside>
      )}
    </main>
  );
}
