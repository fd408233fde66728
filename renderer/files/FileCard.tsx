import { useEffect, useRef } from 'react';
import { Fact } from '../controls.tsx';
import { formatBytes, formatCount, formatDayRange, LEVEL_LABEL, PLATFORM_LABEL } from '../format.ts';
import { cardState, type FileEntry } from './files-state.ts';

export function FileCard(props: { entry: FileEntry; selected: boolean; onSelect(): void; onRemove(): void; busy: boolean }) {
  const { entry } = props;
  const state = cardState(entry);
  const report = entry.validation.status === 'done' ? entry.validation.value : null;
  const usable = report && !report.refused;
  const self = useRef<HTMLElement>(null);
  useEffect(() => {
    if (props.selected) self.current?.scrollIntoView?.({ block: 'nearest' });
  }, [props.selected]);
  return (
    <article
      ref={self}
      className={`card${props.selected ? ' selected' : ''}`}
      aria-label={`File ${entry.ref.name}`}
      aria-current={props.selected}
      data-testid="file-card"
    >
      <button type="button" className="card-main" onClick={props.onSelect}>
        <div className="card-head">
          <span className="card-name" title={entry.ref.name}>
            {entry.ref.name}
          </span>
          <span className={`badge ${state.tone}`} data-testid="file-state">
            {state.label}
          </span>
        </div>
        {usable ? (
          <dl className="facts">
            <Fact term="Platform">{report.platform ? PLATFORM_LABEL[report.platform] : '—'}</Fact>
            <Fact term="Level">{report.level ? LEVEL_LABEL[report.level] : '—'}</Fact>
            <Fact term="Currency">{report.currency ?? 'not stated'}</Fact>
            <Fact term="Dates">{report.dateRange ? formatDayRange(report.dateRange.from, report.dateRange.to) : '—'}</Fact>
            <Fact term="Rows">
              {formatCount(report.rows.valid)} valid
              {report.rows.invalid > 0 && <span className="bad-text"> · {formatCount(report.rows.invalid)} with errors</span>}
            </Fact>
            <Fact term="Entities">
              {[
                [report.entities.campaigns, 'campaign', 'campaigns'],
                [report.entities.adSets, 'ad set', 'ad sets'],
                [report.entities.ads, 'ad', 'ads'],
              ]
                .filter(([n]) => (n as number) > 0)
                .map(([n, one, many]) => `${formatCount(n as number)} ${n === 1 ? one : many}`)
                .join(' · ') || '—'}
            </Fact>
          </dl>
        ) : (
          <p className="card-note">
            {report?.refused
              ? report.refused.message
              : entry.validation.status === 'failed'
                ? entry.validation.error.message
                : formatBytes(entry.ref.bytes)}
          </p>
        )}
        {report?.mapping && (
          <p className="card-map" data-testid="card-map">
            Map the columns to read it: the mapping step is in the validation report.
          </p>
        )}
      </button>
      <button type="button" className="icon-button" aria-label={`Remove ${entry.ref.name}`} disabled={props.busy} onClick={props.onRemove}>
        ×
      </button>
    </article>
  );
}
