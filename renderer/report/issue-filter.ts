import type { ValidationIssue } from '../../shared/report.ts';

export interface CodeCount {
  code: string;
  errors: number;
  warnings: number;
}

/** Issues counted per code, most frequent first. */
export function countByCode(issues: readonly ValidationIssue[]): CodeCount[] {
  const by = new Map<string, CodeCount>();
  for (const i of issues) {
    let c = by.get(i.code);
    if (!c) by.set(i.code, (c = { code: i.code, errors: 0, warnings: 0 }));
    if (i.severity === 'error') c.errors++;
    else c.warnings++;
  }
  return [...by.values()].sort((a, b) => b.errors + b.warnings - (a.errors + a.warnings) || a.code.localeCompare(b.code));
}

export interface IssueFilter {
  code: string | null;
  severity: 'error' | 'warning' | null;
}

export function filterIssues(issues: readonly ValidationIssue[], f: IssueFilter): readonly ValidationIssue[] {
  if (f.code === null && f.severity === null) return issues;
  return issues.filter((i) => (f.code === null || i.code === f.code) && (f.severity === null || i.severity === f.severity));
}
