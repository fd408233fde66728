import type { Platform } from '../../../shared/canonical.ts';
import { normaliseHeader } from './aliases.ts';

/**
 * Breakdown files (demographic, location, placement, device) split each day's numbers into
 * several rows; the daily tables cannot hold them (metricdrop takes in daily performance rows only),
 * so they are refused with SCHEMA_INCOMPLETE. The detection rule and where its names come from:
 * docs/header-evidence.md#breakdown-detection.
 */

const DEMOGRAPHIC = new Set([
  'age',
  'age range',
  'gender',
  'sex',
  'parental status',
  'household income',
  'alter',
  'geschlecht',
  'edad',
  'sexo',
  'leeftijd',
  'geslacht',
  'umur',
  'jantina',
  '나이',
  '성별',
]);
const LOCATION = new Set([
  'region',
  'country',
  'country/territory',
  'country/region',
  'province',
  'dma region',
  'city',
  'location',
  'land',
  'regio',
  'país',
  'región',
  'negara',
  '지역',
  '국가',
]);
const DELIVERY = new Set([
  'placement',
  'platform',
  'device platform',
  'impression device',
  'device',
  'os',
  'language',
  'interest',
  'publisher platform',
  'plattform',
  'platzierung',
  'plataforma',
  'ubicación',
  '게재 위치',
]);

export type BreakdownKind = 'demographic' | 'location' | 'delivery';

export interface Breakdown {
  kind: BreakdownKind;
  /** The header cells as written that gave it away. */
  columns: string[];
}

/** A column whose name says it may segment the rows: a breakdown only if its values split them. */
export interface SegmentColumn {
  index: number;
  header: string;
  kind: BreakdownKind;
}

/** `Region (User location)` -> `region`. */
function stripQualifier(normalised: string): string {
  return normalised.replace(/\s*\([^)]*\)\s*$/, '');
}

/** Columns named like a segment (Age, Gender, Country, Device, Placement…), by position. */
export function segmentColumns(headers: readonly string[]): SegmentColumn[] {
  const found: SegmentColumn[] = [];
  headers.forEach((header, index) => {
    const h = stripQualifier(normaliseHeader(header));
    const kind: BreakdownKind | null = DEMOGRAPHIC.has(h)
      ? 'demographic'
      : LOCATION.has(h)
        ? 'location'
        : DELIVERY.has(h)
          ? 'delivery'
          : null;
    if (kind) found.push({ index, header: header.replace(/^\uFEFF/, '').trim(), kind });
  });
  return found;
}

export function breakdownOf(columns: readonly SegmentColumn[]): Breakdown {
  const kind = columns.some((f) => f.kind === 'demographic')
    ? 'demographic'
    : columns.some((f) => f.kind === 'location')
      ? 'location'
      : 'delivery';
  return { kind, columns: columns.map((c) => c.header) };
}

/** Cells that mean "no value" in the platforms' exports. */
function isEmptyValue(cell: string): boolean {
  const v = cell.trim();
  return v === '' || v === '--' || v === '-' || v === '—';
}

/**
 * Decides from the rows whether segment columns really split them: two rows with the same key
 * (the day and the entity cells) and different non-empty values in the column. A column empty on
 * every row (Google's call-asset `Country` in an ad report) or constant per key splits nothing.
 */
export class BreakdownWatch {
  private readonly first = new Map<number, Map<string, string>>();
  private readonly splitting = new Set<number>();

  constructor(
    readonly columns: readonly SegmentColumn[],
    /** The cells that identify a row apart from the segment: date and entity columns. */
    private readonly keyColumns: readonly number[],
  ) {
    for (const c of columns) this.first.set(c.index, new Map());
  }

  get done(): boolean {
    return this.splitting.size > 0 || this.columns.length === 0;
  }

  observe(fields: readonly string[]): void {
    if (this.done) return;
    let key = '';
    for (const k of this.keyColumns) key += `${(fields[k] ?? '').trim()}\u0000`;
    for (const c of this.columns) {
      const cell = fields[c.index] ?? '';
      if (isEmptyValue(cell)) continue;
      const seen = this.first.get(c.index)!;
      const value = cell.trim().toLowerCase();
      const before = seen.get(key);
      if (before === undefined) seen.set(key, value);
      else if (before !== value) this.splitting.add(c.index);
    }
  }

  /** The segment columns whose values split rows, or null when none does. */
  found(): Breakdown | null {
    if (this.splitting.size === 0) return null;
    return breakdownOf(this.columns.filter((c) => this.splitting.has(c.index)));
  }
}

const AGE_RANGE = /^\d{2}-\d{2}$|^\d{2}\+$/;

/**
 * Value rule for columns the header tables do not know: age ranges (`18-24`, `65+`) together
 * with `unknown` mean a demographic breakdown whatever the column is called.
 */
export class AgeValueWatch {
  private readonly ages = new Map<number, Set<string>>();
  private readonly unknown = new Set<number>();

  observe(column: number, cell: string): void {
    const v = cell.trim().toLowerCase();
    if (AGE_RANGE.test(v)) {
      let set = this.ages.get(column);
      if (!set) this.ages.set(column, (set = new Set()));
      set.add(v);
    } else if (v === 'unknown' || v === 'unbekannt' || v === 'desconocido' || v === 'onbekend') {
      this.unknown.add(column);
    }
  }

  /** The column index that holds age ranges and `unknown`, if any. */
  found(): number | null {
    for (const [column, set] of this.ages) if (set.size >= 2 && this.unknown.has(column)) return column;
    return null;
  }
}

const BREAKDOWN_WHAT: Record<Breakdown['kind'], string> = {
  demographic: 'a demographic breakdown',
  location: 'a location breakdown',
  delivery: 'a placement or device breakdown',
};

/** How to export the same report again without breakdowns, in each platform's own words. */
const WITHOUT_BREAKDOWNS: Record<Platform, string> = {
  meta: 'In Ads Manager open Breakdown, clear every delivery breakdown (Age, Gender, Region, Placement…), keep By time › Day, and export again.',
  google:
    'In Google Ads download the Campaigns, Ad groups or Ads table segmented by Day (Segment › Time › Day) instead of a demographics, location or device report.',
  tiktok:
    'In TikTok Ads Manager remove the audience dimensions (Age, Gender, Location, Placement…) from the custom report, keep By Day, and export again.',
};

export function breakdownMessage(b: Breakdown, platform: Platform | null): string {
  const how = platform === null ? 'Export the report again without breakdowns, split by day only.' : WITHOUT_BREAKDOWNS[platform];
  return `This is ${BREAKDOWN_WHAT[b.kind]} (columns: ${b.columns.join(', ')}): each day is split into several rows, which metricdrop does not import. ${how}`;
}
