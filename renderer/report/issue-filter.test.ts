import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../shared/report.ts';
import { countByCode, filterIssues } from './issue-filter.ts';

const i = (code: ValidationIssue['code'], severity: ValidationIssue['severity'], row: number): ValidationIssue => ({
  row,
  column: 'C',
  code,
  severity,
  message: 'm',
});
const issues = [
  i('INVALID_VALUE', 'error', 3),
  i('DUPLICATE_ROW', 'warning', 4),
  i('INVALID_VALUE', 'error', 5),
  i('INVALID_VALUE', 'warning', 6),
];

describe('issues by code and filters', () => {
  it('counts errors and warnings per code, most frequent first', () => {
    expect(countByCode(issues)).toEqual([
      { code: 'INVALID_VALUE', errors: 2, warnings: 1 },
      { code: 'DUPLICATE_ROW', errors: 0, warnings: 1 },
    ]);
  });
  it('filters by code, by severity and by both, keeping file order', () => {
    expect(filterIssues(issues, { code: null, severity: null })).toBe(issues);
    expect(filterIssues(issues, { code: 'INVALID_VALUE', severity: null }).map((x) => x.row)).toEqual([3, 5, 6]);
    expect(filterIssues(issues, { code: null, severity: 'warning' }).map((x) => x.row)).toEqual([4, 6]);
    expect(filterIssues(issues, { code: 'INVALID_VALUE', severity: 'error' }).map((x) => x.row)).toEqual([3, 5]);
  });
});
