import type { Platform } from '../../shared/canonical.ts';
import { MAPPABLE_FIELDS, PLATFORM_LABEL } from '../../shared/mapping-fields.ts';
import type { ColumnMapping, MappableField } from '../../shared/mapping.ts';
import type { ValidateReport } from '../../shared/report.ts';
import { UsageError, type FlagSpecs, type ParsedArgs } from './args.ts';

/** `--map FIELD=HEADER` (repeatable) and `--no-save`, for validate, dry-run and upload. */
export const MAPPING_FLAGS: FlagSpecs = {
  map: {
    type: 'string',
    repeatable: true,
    value: 'FIELD=HEADER',
    description: `read FIELD from the column HEADER (repeatable; needs --platform; saved for files with the same header). FIELD: ${MAPPABLE_FIELDS.join(', ')}`,
  },
  'no-save': { type: 'boolean', description: 'do not save the --map mapping (or the --platform choice) for the next file' },
};

/** The mapping `--map` gives, or undefined; wrong usage (exit 64) for a malformed one. */
export function mappingFromArgs(args: ParsedArgs): { mapping: ColumnMapping | undefined; save: boolean } {
  const save = args.flags['no-save'] !== true;
  const given = args.lists.map ?? [];
  if (given.length === 0) return { mapping: undefined, save };
  const platform = args.flags.platform as Platform | undefined;
  if (platform === undefined) throw new UsageError('--map needs --platform meta|google|tiktok: a mapping is saved for one platform.');
  const fields: Partial<Record<MappableField, string>> = {};
  const byHeader = new Map<string, MappableField>();
  for (const pair of given) {
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const header = eq === -1 ? '' : pair.slice(eq + 1).trim();
    if (eq === -1 || header === '') throw new UsageError(`--map ${pair}: write FIELD=HEADER, e.g. --map "spend=Budget used".`);
    if (!(MAPPABLE_FIELDS as readonly string[]).includes(name)) {
      throw new UsageError(`--map ${pair}: "${name}" is not a field. Fields: ${MAPPABLE_FIELDS.join(', ')}.`);
    }
    const field = name as MappableField;
    if (fields[field] !== undefined) throw new UsageError(`--map gives ${field} twice ("${fields[field]}" and "${header}").`);
    const other = byHeader.get(header.toLowerCase());
    if (other !== undefined)
      throw new UsageError(`--map maps "${header}" to both ${other} and ${field}; one column can hold only one of them.`);
    byHeader.set(header.toLowerCase(), field);
    fields[field] = header;
  }
  return { mapping: { platform, fields }, save };
}

/** A refused report's mapping proposal, for people: what each field would be read from, and the command to confirm it. */
export function formatProposal(report: ValidateReport): string {
  const file = report.file;
  const m = report.mapping;
  if (!m) return '';
  const lines: string[] = [];
  const candidate = m.candidates[0]!;
  if (m.platform === null)
    lines.push(
      `  The platform is not decided by the header: ${m.candidates.map((c) => `--platform ${c.platform} (${PLATFORM_LABEL[c.platform]})`).join(', ')}.`,
    );
  lines.push(
    `  Columns as metricdrop would read them${m.platform === null ? ` for ${PLATFORM_LABEL[candidate.platform]}` : ''} (* required):`,
  );
  const width = Math.max(...MAPPABLE_FIELDS.map((f) => f.length)) + 2;
  for (const f of candidate.fields) {
    const mark = f.required === 'yes' ? '*' : f.required === 'one_of' ? '+' : ' ';
    const samples = f.column === null ? '' : sampleText(m.columns[f.column]?.samples ?? []);
    lines.push(`  ${mark} ${f.field.padEnd(width)}${f.header === null ? '(none)' : `"${f.header}"`}${samples}  (${f.because})`);
  }
  lines.push('  (+ a campaign name or a campaign ID)');
  const placed = new Set(candidate.fields.flatMap((f) => (f.column === null ? [] : [f.column])));
  const free = m.columns.filter((c) => c.header !== '' && !placed.has(c.index));
  if (free.length > 0) lines.push(`  Columns not placed: ${free.map((c) => `"${c.header}"${sampleText(c.samples)}`).join(', ')}`);
  const maps = [
    ...candidate.fields.filter((f) => f.reason === 'values' && f.header !== null).map((f) => `--map ${quoteArg(`${f.field}=${f.header}`)}`),
    ...candidate.fields.filter((f) => f.column === null && f.required === 'yes').map((f) => `--map "${f.field}=HEADER"`),
  ];
  if (maps.length > 0) {
    lines.push(
      `  To read it so: metricdrop validate ${quoteArg(file)} --platform ${candidate.platform} ${maps.join(' ')} (saved for the next file with this header).`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function sampleText(samples: readonly string[]): string {
  return samples.length === 0 ? '' : ` (e.g. ${samples.map((s) => `"${s}"`).join(', ')})`;
}

function quoteArg(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `"${s.replace(/"/g, '\\"')}"`;
}
