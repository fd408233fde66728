import type { Platform } from '../../../shared/canonical.ts';
import type { ColumnRef } from './recognise.ts';

/**
 * Summary and total rows the platforms add, recognised by each platform's own shapes, never by a name
 * that merely starts with a word (a campaign may be called `Total Wine | Prospecting`):
 * - every platform: a row whose entity name and ID cells are all blank (Meta's summary row).
 * - Meta: `All` subtotal rows of a grouped report (an `All` name cell without an ID) [M4].
 * - Google: `Total: Account`, `Total: Search`, … and the Dutch `Totaal: …` (a localised word and a
 *   colon; G1, G2); the legacy AdWords `Total - filtered`, `Total - all experiments`, `Total`
 *   (real export nl-adwords-2016-ad-report). The label is the row's first filled cell, which may sit
 *   in any column (real export us-search-keyword-report: column 3).
 * - TikTok: `Total of 3 ads` (T4), Japanese `全2件の結果` (real export jp-campaign-shiftjis) and
 *   Korean `총 6개 결과` (real exports kr-campaign-report-a1-dimension, kr-ad-report). Other languages'
 *   wording has no evidence yet, so it is not guessed.
 * A labelled total row has no date, no ID, and no name but its label: a data row always has its day.
 * They are skipped and counted, never summed. The keys (M4, G1, …) and the real exports named here are
 * described in docs/header-evidence.md#summary-and-total-rows.
 */
export interface EntityColumns {
  platform: Platform | null;
  /** One entry per entity level the file has (campaign, ad set, ad). */
  levels: readonly { name: ColumnRef | undefined; id: ColumnRef | undefined }[];
  /** The column holding the date, if any. */
  dateIndex: number | null;
}

/** Google: a localised "Total" and a colon (`Total: Account`, `Totaal: Zoeken`), or the legacy `Total`, `Total - filtered`. */
const GOOGLE_TOTAL = /^(?:[^,:]{2,20}:\s.*|Total(?: - .+)?)$/su;
/** TikTok: `Total of 3 ads`, `全2件の結果`, `총 6개 결과`. */
const TIKTOK_TOTAL = /^(?:Total of [\d,.]+ \S.*|全\s*[\d,]+\s*件の結果|총\s*[\d,]+\s*개\s*결과)$/iu;

/** What kind of summary row this is (`summary row`, `"All" subtotal`, or the total label as written), or null for a data row. */
export function summaryRowLabel(fields: readonly string[], cols: EntityColumns): string | null {
  let namesBlank = true;
  let idsBlank = true;
  for (const { name, id } of cols.levels) {
    if (id !== undefined && !isBlank(fields[id.index], cols.platform)) idsBlank = false;
    if (name !== undefined && !isBlank(fields[name.index], cols.platform)) namesBlank = false;
  }
  if (cols.platform === 'meta') return namesBlank && idsBlank ? 'summary row' : metaSubtotal(fields, cols);
  if (!idsBlank) return null;
  const labelled = totalLabel(fields, cols);
  return labelled ?? (namesBlank ? 'summary row' : null);
}

/** Google's and TikTok's labelled total row: the label, or null. */
function totalLabel(fields: readonly string[], cols: EntityColumns): string | null {
  const pattern = cols.platform === 'google' ? GOOGLE_TOTAL : cols.platform === 'tiktok' ? TIKTOK_TOTAL : null;
  if (pattern === null) return null;
  // The label is the first filled cell; the date and every name cell are blank or the label itself.
  let at = 0;
  while (at < fields.length && isBlank(fields[at], cols.platform)) at++;
  const label = (fields[at] ?? '').trim();
  if (!pattern.test(label)) return null;
  if (cols.dateIndex !== null && cols.dateIndex !== at && !isBlank(fields[cols.dateIndex], cols.platform)) return null;
  for (const { name } of cols.levels) {
    if (name !== undefined && name.index !== at && !isBlank(fields[name.index], cols.platform)) return null;
  }
  return label;
}

/**
 * Meta's `All` rows: the block total of a grouped report (Ads Reporting, the .xlsx "Formatted
 * Report"). A row is one when a name cell reads `All` and its level has no ID on the row, and the
 * report is grouped: it has more than one level, or the row has no day. A campaign really named
 * `All` in a flat file keeps its ID, or its day.
 */
function metaSubtotal(fields: readonly string[], cols: EntityColumns): string | null {
  // Runs on every row: the ID and the cell's length are looked at before any string is made.
  for (const { name, id } of cols.levels) {
    if (name === undefined || (id !== undefined && !isBlank(fields[id.index], 'meta'))) continue;
    const cell = fields[name.index];
    if (cell === undefined || cell.length < 3 || cell.length > 8 || cell.trim().toLowerCase() !== 'all') continue;
    const grouped = cols.levels.length > 1 || cols.dateIndex === null || isBlank(fields[cols.dateIndex], 'meta');
    if (grouped) return '"All" subtotal';
  }
  return null;
}

/** Blank, or (Google, TikTok) their empty markers ` --` and `-`. */
function isBlank(v: string | undefined, platform: Platform | null): boolean {
  if (v === undefined || v.length === 0) return true;
  if (v.charCodeAt(0) > 32 && v.charCodeAt(0) !== 45) return false;
  const t = v.trim();
  return t === '' || (platform !== 'meta' && (t === '--' || t === '-'));
}
