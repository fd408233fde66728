import type { Platform } from '../../../../shared/canonical.ts';
import { MAPPABLE_FIELDS } from '../../../../shared/mapping-fields.ts';

/**
 * The fields a header can feed: the mappable fields (`MAPPABLE_FIELDS`: the canonical row's
 * names, the ids as `campaign_id` …), plus what the recognition reads to derive them (a date
 * range, results and their indicators).
 */
export const FIELDS = [
  ...MAPPABLE_FIELDS,
  'range_start',
  'range_end',
  'results',
  'result_indicator',
  'results_value',
  'result_value_indicator',
] as const;
export type Field = (typeof FIELDS)[number];

export type Language = 'en' | 'de' | 'es' | 'fr' | 'it' | 'ja' | 'ko' | 'ms' | 'nl' | 'pl' | 'pt';

/**
 * How one platform's UI in one language names its columns. Every name is written as the export
 * writes it (matching normalises both sides: NFKC, case, spaces) and is backed by evidence: a real
 * export, a platform help page or public parser code, named in `sources` and cited beside the entry.
 * docs/header-evidence.md describes every source. A name nobody has seen is left out: such a column
 * is refused by name or mapped by the user.
 */
export interface HeaderTable {
  platform: Platform;
  language: Language;
  /**
   * Key -> where the evidence is described: a section of docs/header-evidence.md, then the source's
   * public origin (repository, path and commit; a help page's title; or a public code file's number).
   */
  sources: Readonly<Record<string, string>>;
  /** Per field, in order of preference (`Link clicks` before `Clicks (all)`). */
  fields: Partial<Record<Field, readonly string[]>>;
  /** Spend headers that carry a currency suffix: `Amount spent (EUR)`. */
  spendBases?: readonly string[];
  /** Known columns deliberately not imported (ratios, reach, settings). */
  ignored?: readonly string[];
  ignoredPrefixes?: readonly string[];
  /** Names only this platform writes: they decide the platform. */
  signatures?: readonly string[];
  /** Time columns other than a day: the file is not daily. */
  otherTimeColumns?: readonly string[];
  /**
   * A header the platform writes more than once where each copy means something else, mapped by
   * occurrence (first copy -> fields[0], second -> fields[1]); a field may be null (not imported).
   */
  repeated?: readonly { header: string; fields: readonly (Field | null)[]; source: string }[];
}
