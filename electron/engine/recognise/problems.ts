import type { ErrorCode } from '../../../shared/errors.ts';

/**
 * File-level problems, gathered all at once and told in the order a person fixes them: the file is
 * not a platform export; it is a breakdown; the platform cannot be told; it has no per-day rows; it
 * has no campaign (account totals); metric columns are missing or unknown; a needed column is
 * written twice with different values.
 */
export type ProblemKind = 'notExport' | 'breakdown' | 'platform' | 'notDaily' | 'noCampaign' | 'columns' | 'duplicate';

const ORDER: Record<ProblemKind, number> = {
  notExport: 0,
  breakdown: 1,
  platform: 2,
  notDaily: 3,
  noCampaign: 4,
  columns: 5,
  duplicate: 6,
};

export interface FileProblem {
  kind: ProblemKind;
  code: ErrorCode;
  message: string;
  /** The header cells as written that the problem is about, if any. */
  columns?: string[];
}

export interface Refusal {
  code: ErrorCode;
  message: string;
  /** Every file-level problem, first the one to fix first (the message starts with it). */
  problems?: { code: ErrorCode; message: string; columns?: string[] }[];
}

/** One refusal for all the problems: the first one's code and sentence, then the others. */
export function composeRefusal(problems: readonly FileProblem[]): Refusal {
  const sorted = problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => ORDER[a.p.kind] - ORDER[b.p.kind] || a.i - b.i)
    .map((x) => x.p);
  const seen = new Set<string>();
  const unique = sorted.filter((p) => (seen.has(p.message) ? false : (seen.add(p.message), true)));
  const [first, ...rest] = unique;
  if (!first) throw new Error('composeRefusal needs at least one problem');
  const message = rest.length === 0 ? first.message : `${first.message} Also: ${rest.map((p, k) => `(${k + 2}) ${p.message}`).join(' ')}`;
  const refusal: Refusal = { code: first.code, message };
  if (unique.length > 1) {
    refusal.problems = unique.map((p) =>
      p.columns ? { code: p.code, message: p.message, columns: p.columns } : { code: p.code, message: p.message },
    );
  }
  return refusal;
}
