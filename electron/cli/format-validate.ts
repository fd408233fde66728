import type { ValidateReport } from '../../shared/report.ts';
import { formatProposal } from './mapping-flags.ts';

const PLATFORM_LABEL = { meta: 'Meta Ads Manager', google: 'Google Ads', tiktok: 'TikTok Ads Manager' } as const;
const LEVEL_LABEL = { campaign: 'campaign level', ad_set: 'ad set level', ad: 'ad level' } as const;
const SHOWN_ISSUES = 10;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

const ENCODING_LABEL: Record<string, string> = {
  'windows-1252': 'Windows-1252 (Western European)',
  'windows-1250': 'Windows-1250 (Central European)',
  shift_jis: 'Shift_JIS (Japanese)',
  cp949: 'CP949 (Korean)',
  gb18030: 'GB18030 (Simplified Chinese)',
  big5: 'Big5 (Traditional Chinese)',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
};

/** How the file was read, when that is worth a line: a workbook's sheet, or an encoding other than UTF-8. */
function readLine(r: ValidateReport): string | null {
  const wb = r.read?.workbook;
  if (wb) {
    const fractions = wb.fractionColumns.length > 0 ? `; percentages stored as fractions in ${wb.fractionColumns.join(', ')}` : '';
    return `Excel workbook, sheet "${wb.sheet}"${wb.sheets.length > 1 ? ` (of ${wb.sheets.length})` : ''}${fractions}`;
  }
  const label = r.read?.encoding ? ENCODING_LABEL[r.read.encoding] : undefined;
  return label ? `text in ${label}` : null;
}

/** The human summary of `validate`: what the file is, its counts and totals, the first issues. */
export function formatValidateReport(
  report: ValidateReport,
  opts: { errorsCsv: string | null; recorded: boolean },
): { out: string; err: string } {
  if (report.entries && !report.refused) return formatArchive(report, report.entries, opts);
  if (report.refused) {
    const err = `${report.file}: refused (${report.refused.code})\n  ${report.refused.message}\n${formatProposal(report)}`;
    return { out: '', err: opts.errorsCsv ? `${err}  The refusal is also in ${opts.errorsCsv}.\n` : err };
  }
  const r = report;
  const lines: string[] = [];
  const what = [
    `${r.platform ? PLATFORM_LABEL[r.platform] : 'Unknown'} export`,
    r.level ? LEVEL_LABEL[r.level] : null,
    r.currency ?? 'currency not stated',
    r.dateRange ? (r.dateRange.from === r.dateRange.to ? r.dateRange.from : `${r.dateRange.from} to ${r.dateRange.to}`) : 'no dated rows',
  ].filter((x) => x !== null);
  lines.push(`${r.file}: ${what.join(', ')}`);
  const read = readLine(r);
  if (read) lines.push(`  read:     ${read}`);
  if (r.mapped) lines.push(`  ${r.mapped.note}${r.mapped.id === null ? ' (not saved)' : ''}`);
  const rowParts = [`${plural(r.rows.total, 'row')} read`, `${r.rows.valid.toLocaleString('en-US')} valid`];
  if (r.rows.invalid > 0) rowParts.push(`${r.rows.invalid.toLocaleString('en-US')} with errors`);
  if (r.rows.skipped > 0) rowParts.push(`${plural(r.rows.skipped, 'summary/total row')} skipped`);
  lines.push(`  rows:     ${rowParts.join(', ')}`);
  const e = r.entities;
  const entityParts = [plural(e.campaigns, 'campaign')];
  if (r.level !== 'campaign') entityParts.push(r.platform === 'meta' ? plural(e.adSets, 'ad set') : plural(e.adSets, 'ad group'));
  if (r.level === 'ad') entityParts.push(plural(e.ads, 'ad'));
  lines.push(`  entities: ${entityParts.join(', ')}`);
  const t = r.totals;
  lines.push(
    `  totals:   impressions ${t.impressions}, clicks ${t.clicks}, spend ${t.spend}${r.currency ? ` ${r.currency}` : ''}, conversions ${t.conversions}, conversion value ${t.conversionValue} (valid rows)`,
  );
  const errors = r.issues.filter((i) => i.severity === 'error').length;
  const warnings = r.issues.length - errors;
  if (r.issues.length === 0) lines.push('No problems found.');
  else {
    lines.push(`${[errors ? plural(errors, 'error') : null, warnings ? plural(warnings, 'warning') : null].filter(Boolean).join(', ')}:`);
    for (const i of r.issues.slice(0, SHOWN_ISSUES)) {
      const where = [i.row !== null ? `row ${i.row}` : 'file', i.column !== null ? i.column : null].filter(Boolean).join(', ');
      lines.push(`  ${where}: ${i.severity === 'warning' ? 'warning ' : ''}${i.code}: ${i.message}`);
    }
    const more = r.issues.length - SHOWN_ISSUES;
    if (more > 0) lines.push(`  … and ${plural(more, 'more issue')}.`);
    if (!opts.errorsCsv) lines.push('Write every issue to a CSV file (safe to open in a spreadsheet) with --errors-csv FILE.');
  }
  if (opts.errorsCsv) lines.push(`Every issue is in ${opts.errorsCsv}.`);
  if (!opts.recorded) lines.push('(Not recorded in the local store.)');
  return { out: `${lines.join('\n')}\n`, err: '' };
}

/** A .zip of exports: a line for the archive, then each file's summary as if it had been validated alone. */
function formatArchive(
  report: ValidateReport,
  entries: ValidateReport[],
  opts: { errorsCsv: string | null; recorded: boolean },
): { out: string; err: string } {
  const refused = entries.filter((e) => e.refused).length;
  const lines = [
    `${report.file}: an archive of ${plural(entries.length, 'file')}, each validated on its own${refused ? ` (${refused} refused)` : ''}:`,
  ];
  for (const entry of entries) {
    const text = formatValidateReport(entry, { errorsCsv: null, recorded: true });
    lines.push(
      ...`${text.out}${text.err}`
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  }
  if (opts.errorsCsv) lines.push(`Every issue is in ${opts.errorsCsv}.`);
  if (!opts.recorded) lines.push('(Not recorded in the local store.)');
  return { out: `${lines.join('\n')}\n`, err: '' };
}
