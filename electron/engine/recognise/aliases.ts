import type { Platform } from '../../../shared/canonical.ts';
import { HEADER_TABLES, type Field, type HeaderTable, type Language } from './headers/index.ts';

/**
 * The header tables of each platform, merged from the per-language files in `headers/` (one file
 * per platform and UI language, each with its evidence). Headers are compared after
 * `normaliseHeader`: NFKC, no format characters, lower case, single spaces.
 */

export type { Field, Language } from './headers/index.ts';

export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'German',
  es: 'Spanish',
  fr: 'French',
  it: 'Italian',
  ja: 'Japanese',
  ko: 'Korean',
  ms: 'Malay',
  nl: 'Dutch',
  pl: 'Polish',
  pt: 'Portuguese',
};

/**
 * Languages whose exports write a decimal comma: a hint when the cells do not decide
 * (docs/header-evidence.md#decimal-commas). de, es, nl from G1 and M6; it, pt and pl from parsers of
 * those exports (public code files 60881751227 `"200,00"`, 51910719156 `1.741,856`, 70664261758
 * `"1 234,50"`).
 */
export const DECIMAL_COMMA_LANGUAGES: ReadonlySet<Language> = new Set(['de', 'es', 'nl', 'it', 'pt', 'pl']);

export interface Alias {
  field: Field;
  /** Lower rank wins when several headers give the same field (`Link clicks` before `Clicks (all)`). */
  rank: number;
  language: Language;
}

/** A header written more than once whose copies mean different fields (by occurrence). */
export interface RepeatedHeader {
  fields: readonly (Field | null)[];
  language: Language;
  source: string;
}

export interface PlatformTable {
  platform: Platform;
  label: string;
  aliases: ReadonlyMap<string, Alias>;
  /** Spend headers that carry a currency suffix: `Amount spent (EUR)`. */
  spendBases: ReadonlyMap<string, Alias>;
  /** Headers known and deliberately not imported (derived ratios, reach, settings). */
  ignored: ReadonlySet<string>;
  ignoredPrefixes: readonly string[];
  /** Headers only this platform writes: they decide the platform. */
  signatures: ReadonlySet<string>;
  /** Time columns other than a day: the file is not daily. */
  otherTimeColumns: ReadonlySet<string>;
  repeated: ReadonlyMap<string, RepeatedHeader>;
  /** UI languages whose day column is known: a file in one of them without it has no per-day rows. */
  datedLanguages: ReadonlySet<Language>;
  /** The name of the daily time column in this platform's UI, for messages. */
  dayColumn: string;
}

const LABELS: Record<Platform, string> = { meta: 'Meta Ads Manager', google: 'Google Ads', tiktok: 'TikTok Ads Manager' };
const DAY_COLUMNS: Record<Platform, string> = { meta: 'Day', google: 'Day', tiktok: 'By Day' };

function build(platform: Platform, tables: readonly HeaderTable[]): PlatformTable {
  const aliases = new Map<string, Alias>();
  const spendBases = new Map<string, Alias>();
  const ignored = new Set<string>();
  const ignoredPrefixes: string[] = [];
  const signatures = new Set<string>();
  const otherTimeColumns = new Set<string>();
  const repeated = new Map<string, RepeatedHeader>();
  const datedLanguages = new Set<Language>();
  for (const t of tables) {
    if ((t.fields.date?.length ?? 0) > 0) datedLanguages.add(t.language);
    const { language } = t;
    for (const [field, names] of Object.entries(t.fields) as [Field, readonly string[]][]) {
      // A name two languages share (`Impressions` in English and French) keeps the first table's
      // language (English is listed first), so it never tips the language vote of an English file.
      names.forEach((name, rank) => {
        const key = normaliseHeader(name);
        if (!aliases.has(key)) aliases.set(key, { field, rank, language });
      });
    }
    (t.spendBases ?? []).forEach((name, rank) => {
      const key = normaliseHeader(name);
      if (!spendBases.has(key)) spendBases.set(key, { field: 'spend', rank, language });
    });
    for (const name of t.ignored ?? []) ignored.add(normaliseHeader(name));
    for (const p of t.ignoredPrefixes ?? []) ignoredPrefixes.push(normaliseHeader(p));
    for (const name of t.signatures ?? []) signatures.add(normaliseHeader(name));
    for (const name of t.otherTimeColumns ?? []) otherTimeColumns.add(normaliseHeader(name));
    for (const r of t.repeated ?? []) repeated.set(normaliseHeader(r.header), { fields: r.fields, language, source: r.source });
  }
  return {
    platform,
    label: LABELS[platform],
    aliases,
    spendBases,
    ignored,
    ignoredPrefixes,
    signatures,
    otherTimeColumns,
    repeated,
    datedLanguages,
    dayColumn: DAY_COLUMNS[platform],
  };
}

const tablesOf = (platform: Platform) => HEADER_TABLES.filter((t) => t.platform === platform);

export const META = build('meta', tablesOf('meta'));
export const GOOGLE = build('google', tablesOf('google'));
export const TIKTOK = build('tiktok', tablesOf('tiktok'));

export const PLATFORM_TABLES: readonly PlatformTable[] = [META, GOOGLE, TIKTOK];

export function tableFor(platform: Platform): PlatformTable {
  return platform === 'meta' ? META : platform === 'google' ? GOOGLE : TIKTOK;
}

/**
 * The form headers are compared in: Unicode NFKC (full-width `CPC（誘導先）` is `CPC(誘導先)`,
 * an ideographic space is a space), without format characters (byte-order mark, soft hyphen,
 * zero-width and direction marks), case-folded, whitespace collapsed, and no space just inside or
 * before a bracket (`CPC (誘導先)` and `CPC(誘導先)` are one header).
 */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?\( ?/g, '(')
    .replace(/ \)/g, ')');
}

const CURRENCY_SUFFIX = /^(.*?)\(([a-z]{3})\)$/;

/** `amount spent(eur)` -> { base: 'amount spent', currency: 'EUR' }. */
export function splitCurrencySuffix(normalised: string): { base: string; currency: string } | null {
  const m = CURRENCY_SUFFIX.exec(normalised);
  return m ? { base: m[1]!.trim(), currency: m[2]!.toUpperCase() } : null;
}
