import type { Platform } from '../../../shared/canonical.ts';
import {
  FIELD_INFO,
  FIELD_REQUIREMENT,
  MAPPABLE_FIELDS,
  type ColumnSample,
  type FieldProposal,
  type MappableField,
  type MappingProposal,
  type PlatformProposal,
} from '../../../shared/mapping.ts';
import { normaliseHeader, tableFor } from '../recognise/aliases.ts';
import { displayName, isOtherTimeColumn, platformsKnowing, tableField } from '../recognise/recognise.ts';
import { mappableField } from './fields.ts';
import { headerSignature } from './signature.ts';
import { ColumnShapes, quoted } from './values.ts';

const ALL_PLATFORMS: readonly Platform[] = ['meta', 'google', 'tiktok'];

export interface ProposalInput {
  headers: readonly string[];
  /** The first data records (full width), in file order. */
  rows: readonly (readonly string[])[];
  headerRow: number | null;
  /** `--platform`, or the platform the header decided; undefined when it does not decide. */
  platform?: Platform | undefined;
  /** The fields a confirmed mapping placed (pre-filled with reason `saved`). */
  confirmed?: Partial<Record<MappableField, number>> | undefined;
}

/**
 * What metricdrop proposes for a file whose columns it cannot all place: per candidate platform,
 * each canonical field with the column its header table names (`header_table`), or else the one
 * column whose values point to it (`values`: the only unplaced column of dates, of whole numbers
 * or of amounts, when exactly one field of that kind is still missing), or none; and three sample
 * values of every column. Returns null when no mapping can help: a file split by weeks or months
 * (a mapping never turns totals into days).
 */
export function proposeMapping(input: ProposalInput): MappingProposal | null {
  const { headers } = input;
  const normalised = headers.map(normaliseHeader);
  const known = platformsKnowing(headers);
  const candidates: Platform[] = input.platform ? [input.platform] : known.length > 0 ? known : [...ALL_PLATFORMS];
  if (candidates.some((p) => normalised.some((h) => isOtherTimeColumn(p, h)))) return null;

  const shapes = headers.map(() => new ColumnShapes());
  for (const row of input.rows) headers.forEach((_, i) => shapes[i]!.observe(row[i] ?? ''));
  const columns: ColumnSample[] = headers.map((h, index) => ({
    index,
    header: h.replace(/^\uFEFF/, '').trim(),
    samples: firstValues(input.rows, index),
  }));

  return {
    platform: input.platform ?? null,
    candidates: candidates.map((p) => proposeFor(p, headers, normalised, shapes, input.confirmed ?? {})),
    columns,
    headerRow: input.headerRow,
    signature: headerSignature(headers),
  };
}

function proposeFor(
  platform: Platform,
  headers: readonly string[],
  normalised: readonly string[],
  shapes: readonly ColumnShapes[],
  confirmed: Partial<Record<MappableField, number>>,
): PlatformProposal {
  const label = tableFor(platform).label;
  const placed = new Map<MappableField, { index: number; rank: number; reason: FieldProposal['reason']; because: string }>();
  const known = new Set<number>();
  for (const [field, index] of Object.entries(confirmed) as [MappableField, number][]) {
    placed.set(field, { index, rank: -1, reason: 'saved', because: 'as you mapped it' });
    known.add(index);
  }
  normalised.forEach((h, index) => {
    if (h === '' || known.has(index)) return;
    const hit = tableField(platform, h);
    if (hit === null && !tableFor(platform).ignored.has(h) && !tableFor(platform).ignoredPrefixes.some((p) => h.startsWith(p))) return;
    known.add(index);
    if (hit === null) return;
    // Meta's Reporting starts stands for the day when every row covers one day (checked per row).
    const field = hit.field === 'range_start' ? 'date' : mappableField(hit.field);
    if (field === null) return;
    const previous = placed.get(field);
    if (previous && previous.rank <= hit.rank) return;
    const header = shown(headers[index]!);
    const because =
      hit.field === 'range_start'
        ? `"${header}" is ${label}'s reporting period start: each row's day, when every row starts and ends on the same day`
        : `"${header}" is ${label}'s ${displayName(platform, hit.field)} column (header table)`;
    placed.set(field, { index, rank: hit.rank, reason: 'header_table', because });
  });

  // Evidence in the values, only among the columns no table knows, only where it is unambiguous.
  const free = () =>
    headers.map((_, i) => i).filter((i) => !known.has(i) && normalised[i] !== '' && ![...placed.values()].some((p) => p.index === i));
  const byValues = (field: MappableField, fits: (s: ColumnShapes) => boolean, what: string) => {
    if (placed.has(field)) return;
    const fitting = free().filter((i) => fits(shapes[i]!));
    if (fitting.length !== 1) return;
    const i = fitting[0]!;
    const s = shapes[i]!;
    const examples = Object.values(s.examples).flat().slice(0, 3);
    placed.set(field, {
      index: i,
      rank: 0,
      reason: 'values',
      because: `"${shown(headers[i]!)}" is the only column no table knows whose values are ${what} (${quoted(examples)})`,
    });
  };
  byValues('date', (s) => s.only('date'), 'dates');
  const missingCounts = (['impressions', 'clicks'] as const).filter((f) => !placed.has(f));
  if (!placed.has('spend')) byValues('spend', (s) => s.only('decimal', 'integer') && s.counts.decimal > 0, 'amounts with decimals');
  if (missingCounts.length === 1) byValues(missingCounts[0]!, (s) => s.only('integer'), 'whole numbers');
  if (!placed.has('campaign_name') && !placed.has('campaign_id')) byValues('campaign_name', (s) => s.only('text'), 'names');
  byValues('currency', (s) => s.only('currency'), 'currency codes');

  const fields: FieldProposal[] = MAPPABLE_FIELDS.map((field) => {
    const p = placed.get(field);
    const required = FIELD_REQUIREMENT[field];
    if (p) return { field, required, column: p.index, header: shown(headers[p.index]!), reason: p.reason, because: p.because };
    return { field, required, column: null, header: null, reason: 'none', because: noneBecause(platform, field) };
  });
  return { platform, fields };
}

function noneBecause(platform: Platform, field: MappableField): string {
  const name = displayName(platform, field);
  const { label } = FIELD_INFO[field];
  switch (FIELD_REQUIREMENT[field]) {
    case 'yes':
      return `no column is known as ${name}: pick the column that holds ${label.toLowerCase()}`;
    case 'one_of':
      return `no column is known as ${name}: pick it, or the campaign's other column (name or ID)`;
    default:
      if (field === 'conversions' || field === 'conversion_value') return `no column is known as ${name}: without one it is recorded as 0`;
      if (field === 'currency') return 'no currency column: the currency comes from the spend header, if it names one';
      return `no column is known as ${name}: without it the file is read at a coarser level`;
  }
}

function firstValues(rows: readonly (readonly string[])[], index: number): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const v = (row[index] ?? '').trim();
    if (v === '') continue;
    out.push(v.length > 60 ? `${v.slice(0, 59)}…` : v);
    if (out.length === 3) break;
  }
  return out;
}

function shown(header: string): string {
  return header.replace(/^\uFEFF/, '').trim();
}
