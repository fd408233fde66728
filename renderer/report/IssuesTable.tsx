import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ValidationIssue } from '../../shared/report.ts';
import { virtualWindow } from './virtual-window.ts';

export const ISSUE_ROW_HEIGHT = 32;
const VIEWPORT_HEIGHT = 416;

/**
 * The issues of a file, windowed by hand: only the rows in view (plus a few either side) are in the
 * DOM, so 100,000 issues scroll as smoothly as 10. Row and column are as the spreadsheet shows them.
 */
export function IssuesTable(props: { issues: readonly ValidationIssue[] }) {
  const { issues } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(VIEWPORT_HEIGHT);
  const [selected, setSelected] = useState<number | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight || VIEWPORT_HEIGHT));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A new filter starts at the top.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setScrollTop(0);
    setSelected(null);
  }, [issues]);

  // Arrow keys move the selection and keep it in view.
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const next = Math.min(issues.length - 1, Math.max(0, (selected ?? -1) + (e.key === 'ArrowDown' ? 1 : -1)));
    setSelected(next);
    const el = scroller.current;
    if (!el) return;
    const top = next * ISSUE_ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ISSUE_ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ISSUE_ROW_HEIGHT - el.clientHeight;
  };
  const current = selected === null ? undefined : issues[selected];

  const win = virtualWindow({ count: issues.length, rowHeight: ISSUE_ROW_HEIGHT, viewportHeight: height, scrollTop });
  const rows = [];
  for (let i = win.start; i < win.end; i++) {
    const issue = issues[i]!;
    rows.push(
      <div
        className={i === selected ? 'issues-row selected' : 'issues-row'}
        role="row"
        aria-rowindex={i + 2}
        aria-selected={i === selected}
        key={i}
        style={{ transform: `translateY(${i * ISSUE_ROW_HEIGHT}px)` }}
        onClick={() => setSelected(i)}
      >
        <span role="cell" className="num">
          {issue.row ?? '—'}
        </span>
        <span role="cell" className="ellipsis" title={issue.column ?? ''}>
          {issue.column ?? '—'}
        </span>
        <span role="cell">
          <code>{issue.code}</code>
        </span>
        <span role="cell">
          <span className={`sev ${issue.severity}`}>{issue.severity}</span>
        </span>
        <span role="cell" className="ellipsis" title={issue.message}>
          {issue.message}
        </span>
      </div>,
    );
  }

  return (
    <>
      <div className="issues" role="table" aria-label="Issues" aria-rowcount={issues.length + 1} data-testid="issues-table">
        <div className="issues-row issues-head" role="row" aria-rowindex={1}>
          <span role="columnheader" className="num">
            Row
          </span>
          <span role="columnheader">Column</span>
          <span role="columnheader">Code</span>
          <span role="columnheader">Severity</span>
          <span role="columnheader">Message</span>
        </div>
        <div
          className="issues-body"
          ref={scroller}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          onKeyDown={onKeyDown}
          tabIndex={0}
          aria-label="Issue rows: arrow keys move, the selected issue is shown in full below"
        >
          {issues.length === 0 ? (
            <div className="issues-empty">No issues match.</div>
          ) : (
            <div className="issues-spacer" style={{ height: win.totalHeight }}>
              {rows}
            </div>
          )}
        </div>
      </div>
      {current && (
        <div className="issue-detail" data-testid="issue-detail" aria-live="polite">
          <div className="issue-detail-where">
            Row {current.row ?? '—'}
            {current.column ? ` · ${current.column}` : ''} · <code>{current.code}</code> ({current.severity})
          </div>
          <div>{current.message}</div>
        </div>
      )}
    </>
  );
}
