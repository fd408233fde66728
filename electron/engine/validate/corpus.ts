import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { ValidateReport } from '../../../shared/report.ts';
import { validateExport } from './index.ts';

/** One file of a corpus run: its path under the folder and its report. */
export interface CorpusResult {
  file: string;
  report: ValidateReport;
}

export type Verdict = 'accepted' | 'row errors' | 'refused';

export function verdictOf(report: ValidateReport): Verdict {
  if (report.refused) return 'refused';
  return report.rows.invalid > 0 ? 'row errors' : 'accepted';
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile() && !/^readme(\.md|\.txt)?$/i.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/** The reports of the files inside an archive, when the report has them (`entries`, one per file). */
function entriesOf(report: ValidateReport): { name: string; report: ValidateReport }[] {
  const entries = (report as { entries?: unknown }).entries;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((e: unknown) => {
    const entry = e as { name?: unknown; file?: unknown; report?: ValidateReport } & Partial<ValidateReport>;
    const inner = entry.report ?? (entry.rows ? (entry as ValidateReport) : null);
    const name = typeof entry.name === 'string' ? entry.name : typeof entry.file === 'string' ? entry.file : inner?.file;
    return inner && typeof name === 'string' ? [{ name, report: inner }] : [];
  });
}

/**
 * Validates every file under `dir` in name order (one at a time: the machine is shared); a file
 * inside an archive gets its own line, named `archive.zip/inner.csv`.
 */
export async function runCorpus(dir: string, onResult?: (r: CorpusResult) => void): Promise<CorpusResult[]> {
  const results: CorpusResult[] = [];
  for (const path of await filesUnder(dir)) {
    const { report } = await validateExport(path);
    const file = relative(dir, path);
    const inner = entriesOf(report);
    const found = inner.length > 0 ? inner.map((e) => ({ file: `${file}/${e.name}`, report: e.report })) : [{ file, report }];
    for (const r of found) {
      results.push(r);
      onResult?.(r);
    }
  }
  return results;
}

function firstWords(message: string, words = 14): string {
  const all = message.split(/\s+/);
  return all.slice(0, words).join(' ') + (all.length > words ? ' …' : '');
}

export function formatCorpusLine({ file, report }: CorpusResult): string {
  const verdict = verdictOf(report);
  if (report.refused) return `${file}  ${verdict}  ${report.refused.code}  ${firstWords(report.refused.message)}`;
  const r = report.rows;
  const warnings = report.issues.filter((i) => i.severity === 'warning').length;
  return `${file}  ${verdict}  ${report.platform} ${report.level}  ${r.valid}/${r.total} rows valid, ${r.skipped} skipped${warnings ? `, ${warnings} warnings` : ''}`;
}

export function formatCorpusSummary(results: readonly CorpusResult[]): string {
  const by = new Map<string, number>();
  for (const { report } of results) {
    const key = report.refused ? `refused ${report.refused.code}` : verdictOf(report);
    by.set(key, (by.get(key) ?? 0) + 1);
  }
  const parts = [...by.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
  return `${results.length} files: ${parts.join(', ')}`;
}
