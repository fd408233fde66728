import { ROW_ERROR_CODES, type ErrorCode } from '../../shared/errors.ts';
import type { UploadProgress } from '../../shared/ipc-contract.ts';
import type { Plan, PlanCounts, UploadResult } from '../../shared/report.ts';
import { isRefusal } from './app-error.ts';
import { EXIT } from './command.ts';
import { formatValidateReport } from './format-validate.ts';

const ROW_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(ROW_ERROR_CODES);

export function exitCodeForUpload(r: UploadResult): number {
  if (r.refused) return EXIT.refused;
  // Row problems (found by the app or by the server) are "rows have errors": exit 1, like validate.
  if (r.error) return isRefusal(r.error.code) && !ROW_CODES.has(r.error.code) ? EXIT.refused : EXIT.rowsOrPartial;
  return r.rows.invalid > 0 ? EXIT.rowsOrPartial : EXIT.ok;
}

function counts(label: string, c: PlanCounts): string {
  return `  ${label.padEnd(10)} ${String(c.create).padStart(7)} new  ${String(c.update).padStart(7)} updated  ${String(c.unchanged).padStart(7)} unchanged`;
}

function formatPlan(plan: Plan, done: boolean): string[] {
  const head =
    plan.source === 'server'
      ? done
        ? 'What the upload changed in the database:'
        : 'What the upload would change (planned by the server):'
      : 'What the upload would change (planned offline, against what this computer uploaded before):';
  return [
    head,
    counts('campaigns', plan.campaigns),
    counts('ad sets', plan.adSets),
    counts('ads', plan.ads),
    counts('daily rows', plan.facts),
    ...byNameLines('campaigns', plan.campaigns, done),
    ...byNameLines('ad sets', plan.adSets, done),
    ...byNameLines('ads', plan.ads, done),
  ];
}

const counted = (n: number, label: string) => `${n} ${n === 1 ? label.replace(/s$/, '') : label}`;
const listed = (names: string[], total: number) =>
  `${names.map((n) => `"${n}"`).join(', ')}${total > names.length ? `, and ${total - names.length} more` : ''}`;

/** Which entities of a level without usable IDs were found by name, and which are new (a warning). */
function byNameLines(label: string, c: PlanCounts, done: boolean): string[] {
  const b = c.byName;
  if (!b) return [];
  const lines: string[] = [];
  if (b.matched > 0)
    lines.push(
      `Matched by name (the file has no usable IDs for them): ${counted(b.matched, label)} already in the database: ${listed(b.matchedNames, b.matched)}.`,
    );
  if (b.created > 0) {
    lines.push(
      `Warning: ${counted(b.created, label)} ${done ? (b.created === 1 ? 'was' : 'were') : 'would be'} created by name, as none of that name was found for this client: ${listed(b.createdNames, b.created)}. If any was uploaded before under another name, upload the export as downloaded (with its IDs) instead.`,
    );
  }
  return lines;
}

export function formatUploadResult(r: UploadResult): { out: string; err: string } {
  const v = formatValidateReport(r, { errorsCsv: null, recorded: true });
  if (r.refused) return v;
  const lines: string[] = [v.out.trimEnd()];
  if (r.previous) {
    lines.push(
      `Note: this file was uploaded for this client before, on ${r.previous.at}${r.previous.by ? ` by ${r.previous.by}` : ''} (upload ${r.previous.uploadId}).`,
    );
  }
  if (r.plan) lines.push(...formatPlan(r.plan, r.mode === 'COMMIT' && r.status === 'completed'));
  if (r.uploadId) lines.push(`Upload ${r.uploadId}: ${r.mode === 'FULL_DRY_RUN' ? 'dry run' : 'commit'}, status ${r.status ?? 'unknown'}.`);
  let err = v.err;
  if (r.error) {
    err += `${r.mode === 'FULL_DRY_RUN' ? 'Dry run' : 'Upload'} ${isRefusal(r.error.code) ? 'refused' : 'stopped'} (${r.error.code}${r.error.stage ? `, stage ${r.error.stage}` : ''}): ${r.error.message}\n`;
    if (!isRefusal(r.error.code) && r.uploadId)
      err += `Nothing is lost: run "metricdrop resume ${r.uploadId}" to continue where it stopped.\n`;
    else if (!isRefusal(r.error.code) && r.mode === 'COMMIT')
      err += 'Nothing was sent yet: run "metricdrop resume" to read the file again and upload it.\n';
  }
  return { out: `${lines.join('\n')}\n`, err };
}

const STAGE_LABEL = {
  read: 'reading the file',
  begin: 'begin',
  stage: 'staging rows',
  dimensions: 'campaigns, ad sets, ads',
  facts: 'daily rows',
  finish: 'finish',
} as const;

/** Progress on standard error, one rewritten line, only when it is a terminal. */
export function progressPrinter(stderr: NodeJS.WritableStream): ((p: UploadProgress) => void) | undefined {
  const tty = (stderr as NodeJS.WriteStream).isTTY === true;
  if (!tty) return undefined;
  return (p) => {
    const pct = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 100;
    const rate = p.rowsPerSecond !== null && p.stage !== 'dimensions' ? `, ${p.rowsPerSecond.toLocaleString('en-US')} rows/s` : '';
    const bytes = p.bytesPerSecond != null ? `, ${(p.bytesPerSecond / 1024 / 1024).toFixed(2)} MB/s` : '';
    const eta = p.etaSeconds !== null && p.done < p.total ? `, ${p.etaSeconds}s left` : '';
    stderr.write(
      `\r\x1b[2K${STAGE_LABEL[p.stage]}: ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} (${pct}%)${rate}${bytes}${eta}${p.stage === 'finish' ? '\n' : ''}`,
    );
  };
}
