import type { Platform } from '../../../shared/canonical.ts';
import { normaliseHeader } from './aliases.ts';

/**
 * Breakdown files (demographic, location, placement, device) split each day's numbers into
 * several rows; the daily tables cannot hold them (the lock blocks demographic ingestion), so they
 * are refused with SCHEMA_INCOMPLETE. Detection rule: ../shared/spec/platform-exports.md §5.
 */

const DEMOGRAPHIC = new Set([
  'age', 'age range', 'gender', 'sex', 'parental status', 'household income',
  'alter', 'geschlecht', 'edad', 'sexo', 'leeftijd', 'geslacht', 'umur', 'jantina', '나이', '성별',
]);
const LOCATION = new Set([
  'region', 'country', 'country/territory', 'country/region', 'province', 'dma region', 'city',
  'location', 'land', 'regio', 'país', 'región', 'negara', '지역', '국가',
]);
const DELIVERY = new Set([
  'placement', 'platform', 'device platform', 'impression device', 'device', 'os', 'language', 'interest',
  'publisher platform', 'plattform', 'platzierung', 'plataforma', 'ubicación', '게재 위치',
]);

export interface Breakdown {
  kind: 'demographic' | 'location' | 'delivery';
  /** The header cells as written that gave it away. */
  columns: string[];
}

/** `Region (User location)` -> `region`. */
function stripQualifier(normalised: string): string {
  return normalised.replace(/\s*\([^)]*\)\s*$/, '');
}

export function findBreakdownColumns(headers: readonly string[]): Breakdown | null {
  const found: { kind: Breakdown['kind']; header: string }[] = [];
  for (const header of headers) {
    const h = stripQualifier(normaliseHeader(header));
    if (DEMOGRAPHIC.has(h)) found.push({ kind: 'demographic', header });
    else if (LOCATION.has(h)) found.push({ kind: 'location', header });
    else if (DELIVERY.has(h)) found.push({ kind: 'delivery', header });
  }
  if (found.length === 0) return null;
  const kind = found.some((f) => f.kind === 'demographic')
    ? 'demographic'
    : found.some((f) => f.kind === 'location')
      ? 'location'
      : 'delivery';
  return { kind, columns: found.map((f) => f.header.trim()) };
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
  google: 'In Google Ads download the Campaigns, Ad groups or Ads table segmented by Day (Segment › Time › Day) instead of a demographics, location or device report.',
  tiktok: 'In TikTok Ads Manager remove the audience dimensions (Age, Gender, Location, Placement…) from the custom report, keep By Day, and export again.',
};

export function breakdownMessage(b: Breakdown, platform: Platform | null): string {
  const how = platform === null ? 'Export the report again without breakdowns, split by day only.' : WITHOUT_BREAKDOWNS[platform];
  return `This is ${BREAKDOWN_WHAT[b.kind]} (columns: ${b.columns.join(', ')}): each day is split into several rows, which metricdrop does not import. ${how}`;
}
