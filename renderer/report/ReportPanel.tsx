import { useMemo, useState } from 'react';
import type { IpcError } from '../../shared/ipc-contract.ts';
import type { ValidateReport } from '../../shared/report.ts';
import { Picker, Refusal } from '../controls.tsx';
import { formatCount, formatMoney } from '../format.ts';
import { countByCode, filterIssues, type IssueFilter } from './issue-filter.ts';
import { CampaignsTable } from './CampaignsTable.tsx';
import { IssuesTable } from './IssuesTable.tsx';

const SEVERITY_OPTIONS = [
  { value: '', label: 'All' },
  { value: 'error', label: 'Errors' },
  { value: 'warning', label: 'Warnings' },
] as const;

export function ReportPanel(props: { report: ValidateReport; token: string; onSaveCsv(): Promise<IpcError | null> }) {
  const { report } = props;
  const [filter, setFilter] = useState<IssueFilter>({ code: null, severity: null });
  const [saveState, setSaveState] = useState<{ busy: boolean; error: IpcError | null; saved: boolean }>({
    busy: false,
    error: null,
    saved: false,
  });
  const counts = useMemo(() => countByCode(report.issues), [report.issues]);
  const shown = useMemo(() => filterIssues(report.issues, filter), [report.issues, filter]);

  if (report.refused) {
    return <Refusal error={report.refused} />;
  }

  async function save() {
    setSaveState({ busy: true, error: null, saved: false });
    const error = await props.onSaveCsv();
    setSaveState({ busy: false, error, saved: error === null });
  }

  return (
    <div className="stack">
      {report.mapped && (
        <p className="alert good" role="status" data-testid="mapped-note">
          {report.mapped.note}
          {report.mapped.id === null && ' (not saved)'}
        </p>
      )}
      <div className="stats">
        <Stat label="Rows" value={formatCount(report.rows.total)} />
        <Stat label="Valid" value={formatCount(report.rows.valid)} tone="good" />
        <Stat label="With errors" value={formatCount(report.rows.invalid)} tone={report.rows.invalid > 0 ? 'bad' : undefined} />
        <Stat label="Skipped" value={formatCount(report.rows.skipped)} title="Summary and total rows the platform adds" />
        <Stat label="Spend" value={formatMoney(report.totals.spend, report.currency)} title="Sum of the valid rows" />
        <Stat label="Impressions" value={formatCount(Number(report.totals.impressions))} />
        <Stat label="Clicks" value={formatCount(Number(report.totals.clicks))} />
      </div>

      {report.issues.length === 0 ? (
        <p className="alert good">Every row is valid.</p>
      ) : (
        <>
          <div className="toolbar">
            <div className="code-chips" aria-label="Issues by code">
              <button
                type="button"
                className={filter.code === null ? 'chip active' : 'chip'}
                onClick={() => setFilter({ ...filter, code: null })}
              >
                All codes <span className="chip-count">{formatCount(report.issues.length)}</span>
              </button>
              {counts.map((c) => (
                <button
                  type="button"
                  key={c.code}
                  className={filter.code === c.code ? 'chip active' : 'chip'}
                  data-testid={`code-count-${c.code}`}
                  onClick={() => setFilter({ ...filter, code: filter.code === c.code ? null : c.code })}
                >
                  {c.code} <span className="chip-count">{formatCount(c.errors + c.warnings)}</span>
                </button>
              ))}
            </div>
            <Picker
              label="Severity"
              value={filter.severity ?? ''}
              onChange={(v) => setFilter({ ...filter, severity: v === '' ? null : (v as 'error' | 'warning') })}
              options={SEVERITY_OPTIONS}
            />
            <button type="button" className="secondary" disabled={saveState.busy} onClick={() => void save()}>
              Save errors as CSV
            </button>
          </div>
          <p className="muted small" aria-live="polite" data-testid="issues-count">
            Showing {formatCount(shown.length)} of {formatCount(report.issues.length)} issues
            {saveState.saved && ' · CSV saved'}
          </p>
          {saveState.error && <Refusal error={saveState.error} />}
          <IssuesTable issues={shown} />
        </>
      )}
      {report.rows.valid > 0 && <CampaignsTable token={props.token} currency={report.currency} />}
    </div>
  );
}

function Stat(props: { label: string; value: string; tone?: 'good' | 'bad' | undefined; title?: string }) {
  return (
    <div className="stat" title={props.title ? `${props.title}: ${props.value}` : props.value}>
      <div className="stat-label">{props.label}</div>
      <div className={`stat-value${props.tone ? ` ${props.tone}-text` : ''}`}>{props.value}</div>
    </div>
  );
}
