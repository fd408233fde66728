import { useEffect, useState } from 'react';
import type { Client, IpcError, SpendByDay } from '../../shared/ipc-contract.ts';
import { useApi } from '../api/api-context.tsx';
import { Refusal } from '../controls.tsx';
import { formatCount } from '../format.ts';
import { PlanTable, Warnings } from '../plan/PlanPanel.tsx';
import { SpendChart } from '../plan/SpendChart.tsx';
import { ReportPanel } from '../report/ReportPanel.tsx';
import type { ColumnMapping } from '../../shared/mapping.ts';
import { MappingStep } from './MappingStep.tsx';
import { StageProgress } from '../upload/StageProgress.tsx';
import type { ActiveRun, FileEntry } from './files-state.ts';

type Tab = 'report' | 'plan' | 'upload';

export interface Target {
  workspaceId: string | null;
  client: Client | null;
  signedIn: boolean;
  online: boolean;
}

export function FileDetail(props: {
  entry: FileEntry;
  active: ActiveRun | null;
  target: Target;
  onDryRun(): void;
  onUpload(): void;
  onCancel(): void;
  onMap(mapping: ColumnMapping, save: boolean): void;
}) {
  const { entry, active, target } = props;
  const api = useApi();
  const [tab, setTab] = useState<Tab>('report');
  const [spend, setSpend] = useState<SpendByDay | IpcError | null>(null);
  const token = entry.ref.token;
  const report = entry.validation.status === 'done' ? entry.validation.value : null;
  const usable = report !== null && report.refused === null && report.rows.valid > 0;
  const runningHere = active !== null && active.token === token;
  const busyElsewhere = active !== null && !runningHere;

  useEffect(() => setTab(entry.upload.status === 'idle' ? 'report' : 'upload'), [token]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (active?.token === token) setTab(active.kind === 'dryRun' ? 'plan' : 'upload');
  }, [active?.token, active?.kind, token]);

  useEffect(() => {
    if (!usable || tab !== 'plan' || spend !== null) return;
    void api.files.spendByDay({ token }).then((r) => setSpend(r.ok ? r.value : r.error));
  }, [api, token, usable, tab, spend]);

  const dry = entry.dryRun;
  const up = entry.upload;
  const canRun = usable && target.client !== null && target.workspaceId !== null && active === null;
  const why = !usable
    ? 'This file has no valid rows to upload.'
    : !target.signedIn
      ? 'Sign in and choose a client to run a dry run.'
      : target.client === null
        ? 'Choose a client at the top first.'
        : busyElsewhere
          ? 'Another upload is running; wait for it to finish.'
          : null;
  const currencyClash = report?.currency && target.client && report.currency !== target.client.currency;
  const dryOk = dry.status === 'done' && dry.value.error === null;
  const canUpload = canRun && target.online;
  const uploadWhy = target.online ? null : 'Offline: the upload waits until the project can be reached again.';

  return (
    <section className="detail panel" aria-label={`Details of ${entry.ref.name}`}>
      <div className="detail-head">
        <h2 className="detail-title">{entry.ref.name}</h2>
        <nav className="subtabs" role="tablist">
          {(
            [
              ['report', 'Validation report'],
              ['plan', 'Dry run'],
              ['upload', 'Upload'],
            ] as const
          ).map(([key, label]) => (
            <button
              key={key}
              type="button"
              role="tab"
              aria-selected={tab === key}
              className={tab === key ? 'subtab active' : 'subtab'}
              onClick={() => setTab(key)}
            >
              {label}
            </button>
          ))}
        </nav>
      </div>

      {tab === 'report' &&
        (entry.validation.status === 'done' ? (
          <>
            <ReportPanel
              key={token}
              report={entry.validation.value}
              token={token}
              onSaveCsv={async () => {
                const r = await api.files.saveErrorsCsv({ token });
                return r.ok ? null : r.error;
              }}
            />
            {entry.validation.value.mapping && (
              <MappingStep
                key={`${token}:${entry.validation.value.mapping.signature}`}
                proposal={entry.validation.value.mapping}
                busy={false}
                onConfirm={props.onMap}
              />
            )}
          </>
        ) : entry.validation.status === 'failed' ? (
          <Refusal error={entry.validation.error} />
        ) : (
          <p className="muted">Reading and validating every row…</p>
        ))}

      {tab === 'plan' && (
        <div className="stack">
          <div className="toolbar">
            <p className="muted grow">
              {target.online
                ? 'A dry run sends the rows to a staging area and asks the server what an upload would create, update or leave unchanged. Nothing is written to your reports.'
                : 'Offline: the dry run is planned on this computer, against what it uploaded before for this client.'}
            </p>
            <button
              type="button"
              className={dry.status === 'done' ? 'secondary' : 'primary'}
              disabled={!canRun}
              onClick={props.onDryRun}
              title={why ?? undefined}
            >
              {dry.status === 'running'
                ? 'Running dry run…'
                : dry.status === 'done'
                  ? 'Run the dry run again'
                  : target.client
                    ? `Dry run for ${target.client.name}`
                    : 'Dry run'}
            </button>
          </div>
          {why && <p className="muted small">{why}</p>}
          {currencyClash && (
            <p className="alert warn">
              This file is in {report?.currency}, but {target.client?.name} reports in {target.client?.currency}. The server will refuse it
              (CURRENCY_MISMATCH).
            </p>
          )}
          {runningHere && active.kind === 'dryRun' && <StageProgress stages={active.stages} finished={false} />}
          {dry.status === 'failed' && <Refusal error={dry.error} />}
          {dry.status === 'done' && dry.value.error && <Refusal error={dry.value.error} />}
          {dry.status === 'done' && (
            <>
              <Warnings outcome={dry.value} />
              <PlanTable plan={dry.value.plan} committed={false} />
            </>
          )}
          <h3 className="section-title">Spend per day</h3>
          {spend === null ? <p className="muted">Loading…</p> : 'days' in spend ? <SpendChart data={spend} /> : <Refusal error={spend} />}
          {dryOk && (
            <div className="actions">
              {uploadWhy && <span className="muted small grow">{uploadWhy}</span>}
              <button
                type="button"
                className="primary"
                disabled={!canUpload}
                onClick={() => {
                  setTab('upload');
                  props.onUpload();
                }}
              >
                Upload {formatCount(report?.rows.valid ?? 0)} rows to {target.client?.name}
              </button>
            </div>
          )}
        </div>
      )}

      {tab === 'upload' && (
        <div className="stack">
          {runningHere && active.kind === 'upload' ? (
            <>
              <StageProgress stages={active.stages} finished={false} />
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  disabled={active.cancelling || active.uploadId === null}
                  onClick={props.onCancel}
                >
                  {active.cancelling ? 'Cancelling…' : 'Cancel upload'}
                </button>
              </div>
            </>
          ) : up.status === 'done' ? (
            <>
              {up.value.error ? (
                <Refusal error={up.value.error} />
              ) : (
                <p className="alert good" data-testid="upload-done">
                  Upload completed: {formatCount(up.value.rows.valid)} rows are in the database.
                </p>
              )}
              <PlanTable plan={up.value.plan} committed />
            </>
          ) : up.status === 'failed' ? (
            <Refusal error={up.error} />
          ) : (
            <div className="stack">
              <p className="muted">
                {uploadWhy ?? (dryOk ? 'Ready to upload.' : 'Run a dry run first, so you can see what the upload will change.')}
              </p>
              <div className="actions">
                <button type="button" className="primary" disabled={!canUpload || !dryOk} onClick={props.onUpload}>
                  {target.client ? `Upload to ${target.client.name}` : 'Upload'}
                </button>
              </div>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
