import type { Level, Platform } from '../../../shared/canonical.ts';
import type { ValidationIssue } from '../../../shared/report.ts';
import type { TextEncoding } from '../read/decode.ts';
import type { DecimalMark } from '../validate/numbers.ts';
import {
  DECIMAL_COMMA_LANGUAGES,
  LANGUAGE_NAMES,
  PLATFORM_TABLES,
  normaliseHeader,
  splitCurrencySuffix,
  tableFor,
  type Alias,
  type Field,
  type Language,
  type PlatformTable,
} from './aliases.ts';
import { segmentColumns, type SegmentColumn } from './breakdowns.ts';
import { composeRefusal, type FileProblem, type Refusal } from './problems.ts';

export type { FileProblem, Refusal } from './problems.ts';

/** A column the canonical row reads: its position and its header as written in the file. */
export interface ColumnRef {
  index: number;
  header: string;
}

export interface Recognition {
  platform: Platform;
  level: Level;
  language: Language;
  columns: Partial<Record<Field, ColumnRef>>;
  /** The currency of the spend header (`Amount spent (EUR)`), if it names one. */
  headerCurrency: string | null;
  /** Entity levels whose ID column is missing: their name is used as the ID (a warning). */
  matchByName: { campaign: boolean; ad_set: boolean; ad: boolean };
  /** Entity levels whose name column is missing: their ID is used as the name. */
  nameFromId: { campaign: boolean; ad_set: boolean; ad: boolean };
  /** Meta without `Day`: each row must have Reporting starts == Reporting ends. */
  dateFromRange: boolean;
  /** Decimal mark suggested by the header language, used only when the cells do not decide. */
  decimalHint: DecimalMark | null;
  /** Every column that could feed each field, as written (the chosen one is in `columns`). */
  candidates: Partial<Record<Field, ColumnRef[]>>;
  /** Columns no table knows (not mapped, not deliberately ignored). */
  unknownColumns: number[];
  /** Columns named like a segment (Age, Country, Device…): a breakdown if their values split rows. */
  segments: SegmentColumn[];
  /** A needed header written more than once: one column only if every copy holds the same values. */
  duplicates: DuplicateCopies[];
  warnings: ValidationIssue[];
}

export interface DuplicateCopies {
  field: Field;
  header: string;
  /** Column positions of the copies, first the one read. */
  indices: number[];
}

/** What the rows must still be read for before a file the header already refuses is told. */
export interface PendingChecks {
  problems: FileProblem[];
  /** Null when the platform could not be told. */
  recognition: Recognition | null;
  segments: SegmentColumn[];
}

export type RecogniseResult =
  { ok: true; recognition: Recognition } | { ok: false; refusal: Refusal; platform: Platform | null; pending?: PendingChecks };

export interface RecogniseContext {
  /** `--platform`: skip detection. */
  platform?: Platform | undefined;
  /** Records above the header (Google's report title and date range), joined per line. */
  preamble: readonly string[];
  encoding: TextEncoding;
  /**
   * A column mapping the user confirmed, resolved to columns: it places these fields,
   * over the header tables; a column it names feeds no other field. Breakdown and per-day refusals
   * still apply. Built by `electron/engine/mapping/`.
   */
  mapping?: ConfirmedColumns | undefined;
}

/** Fields placed by a confirmed mapping. */
export type ConfirmedColumns = Partial<Record<Field, ColumnRef>>;

/** How many cells of a record any platform knows: two or more mark the header row. */
export function knownHeaderCells(fields: readonly string[]): number {
  let known = 0;
  for (const f of fields) {
    const h = normaliseHeader(f);
    if (h === '') continue;
    if (PLATFORM_TABLES.some((t) => knows(t, h))) known++;
  }
  return known;
}

function knows(t: PlatformTable, h: string): boolean {
  return (
    t.aliases.has(h) ||
    t.ignored.has(h) ||
    t.otherTimeColumns.has(h) ||
    spendAlias(t, h) !== null ||
    t.ignoredPrefixes.some((p) => h.startsWith(p))
  );
}

function spendAlias(t: PlatformTable, h: string): { alias: Alias; currency: string | null } | null {
  const direct = t.spendBases.get(h);
  if (direct) return { alias: direct, currency: null };
  const split = splitCurrencySuffix(h);
  if (split) {
    const base = t.spendBases.get(split.base);
    if (base) return { alias: base, currency: split.currency };
  }
  return null;
}

/** Field names as each platform's English UI writes them, for messages. */
const DISPLAY: Record<Platform, Partial<Record<Field, string>>> = {
  meta: {
    date: 'Day',
    campaign_name: 'Campaign name',
    campaign_id: 'Campaign ID',
    ad_set_name: 'Ad set name',
    ad_set_id: 'Ad set ID',
    ad_name: 'Ad name',
    ad_id: 'Ad ID',
    impressions: 'Impressions',
    clicks: 'Link clicks',
    spend: 'Amount spent',
    conversions: 'Purchases',
    conversion_value: 'Purchases conversion value',
  },
  google: {
    date: 'Day',
    campaign_name: 'Campaign',
    campaign_id: 'Campaign ID',
    ad_set_name: 'Ad group',
    ad_set_id: 'Ad group ID',
    ad_name: 'Ad name',
    ad_id: 'Ad ID',
    impressions: 'Impr.',
    clicks: 'Clicks',
    spend: 'Cost',
    conversions: 'Conversions',
    conversion_value: 'Conv. value',
  },
  tiktok: {
    date: 'By Day',
    campaign_name: 'Campaign name',
    campaign_id: 'Campaign ID',
    ad_set_name: 'Ad group name',
    ad_set_id: 'Ad group ID',
    ad_name: 'Ad name',
    ad_id: 'Ad ID',
    impressions: 'Impressions',
    clicks: 'Clicks (destination)',
    spend: 'Cost',
    conversions: 'Complete payment',
    conversion_value: 'Total complete payment value',
  },
};

export function displayName(platform: Platform, field: Field): string {
  return DISPLAY[platform][field] ?? field;
}

const LANGUAGE_SETTING: Record<Platform, string> = {
  meta: "set Ads Manager's language to English (US) (Meta Business Suite › Settings › Language)",
  google: 'set the Google Ads display language to English (Admin › Preferences)',
  tiktok: 'switch TikTok Ads Manager to English (the language menu at the top right)',
};

/**
 * Recognises the export from its header: platform (or `--platform`), level, currency, language and
 * which column feeds each canonical field. Every problem the header shows is gathered (not a
 * platform export, no per-day rows, no campaign, missing or unknown metric columns, a needed
 * header written twice): the result is then a refusal listing them in the order a person fixes
 * them, with `pending` holding what the rows must still be read for (a breakdown is decided by
 * the values of its segment columns, a whole-range Meta file by its first rows).
 */
export function recogniseHeader(headers: readonly string[], ctx: RecogniseContext): RecogniseResult {
  const normalised = headers.map(normaliseHeader);
  const segments = segmentColumns(headers);
  const detected = ctx.platform ?? detectPlatform(headers, normalised, ctx);
  if (typeof detected !== 'string') {
    if (detected.kind === 'notExport') return { ok: false, platform: null, refusal: composeRefusal([detected]) };
    // The platform cannot be told, but the rows may still show a breakdown, which comes first.
    return {
      ok: false,
      platform: null,
      refusal: composeRefusal([detected]),
      pending: { problems: [detected], recognition: null, segments },
    };
  }

  const t = tableFor(detected);
  const columns: Partial<Record<Field, ColumnRef & { rank: number }>> = {};
  const candidates: Partial<Record<Field, ColumnRef[]>> = {};
  const languageVotes = new Map<Language, number>();
  const unknownColumns: number[] = [];
  const problems: FileProblem[] = [];
  let headerCurrency: string | null = null;
  let otherTime: string | null = null;

  // Copies of one header: grouped first, so each group is decided once (see duplicates below).
  const groups = new Map<string, number[]>();
  normalised.forEach((h, i) => {
    if (h === '') return;
    const g = groups.get(h);
    if (g) g.push(i);
    else groups.set(h, [i]);
  });
  const copies: DuplicateCopies[] = [];

  for (const [h, indices] of groups) {
    const index = indices[0]!;
    const header = asWritten(headers[index]!);
    const repeated = indices.length > 1 ? t.repeated.get(h) : undefined;
    if (repeated && repeated.fields.length === indices.length) {
      // A known platform pattern: each copy means its own field, by position.
      languageVotes.set(repeated.language, (languageVotes.get(repeated.language) ?? 0) + 1);
      repeated.fields.forEach((field, k) => {
        if (field === null) return;
        const ref = { index: indices[k]!, header, rank: -1 };
        (candidates[field] ??= []).push({ index: ref.index, header });
        columns[field] = ref;
      });
      continue;
    }
    let alias = t.aliases.get(h) ?? null;
    if (!alias) {
      const spend = spendAlias(t, h);
      if (spend) {
        alias = spend.alias;
        if (spend.currency) headerCurrency = spend.currency;
      }
    }
    if (!alias) {
      if (t.otherTimeColumns.has(h)) otherTime = header;
      else if (!t.ignored.has(h) && !t.ignoredPrefixes.some((p) => h.startsWith(p)) && !segments.some((s) => s.index === index))
        unknownColumns.push(...indices);
      // A duplicate that no field needs is ignored.
      continue;
    }
    languageVotes.set(alias.language, (languageVotes.get(alias.language) ?? 0) + 1);
    (candidates[alias.field] ??= []).push(...indices.map((i) => ({ index: i, header })));
    // Copies of a needed header are one column if they hold the same values: the rows decide.
    if (indices.length > 1) copies.push({ field: alias.field, header, indices });
    const existing = columns[alias.field];
    if (!existing || alias.rank < existing.rank) columns[alias.field] = { index, header, rank: alias.rank };
  }

  if (ctx.mapping) headerCurrency = applyConfirmedColumns(ctx.mapping, { columns, candidates, unknownColumns, copies }, headerCurrency);

  const language = majorityLanguage(languageVotes);
  const has = (f: Field) => columns[f] !== undefined;
  const dateFromRange = !has('date') && has('range_start') && has('range_end');
  const adLevel = has('ad_name') || has('ad_id');
  const adSetLevel = has('ad_set_name') || has('ad_set_id');
  const unknownNames = unknownColumns.map((i) => asWritten(headers[i]!));
  // A confirmed mapping is the user's answer to the language question: the tables are not needed.
  const localUnknown = language !== 'en' && unknownNames.length > 0 && !ctx.mapping;

  if (!has('date') && !dateFromRange) {
    // When the language's day column is not known, an unknown column might be it: say so.
    const hedge = localUnknown && !t.datedLanguages.has(language);
    problems.push({
      kind: 'notDaily',
      code: 'MISSING_COLUMN',
      message: noDayMessage(t, otherTime, ctx.preamble, hedge ? { language, unknown: unknownNames } : null),
    });
  }
  if (!has('campaign_name') && !has('campaign_id')) {
    problems.push(
      adLevel || adSetLevel
        ? {
            kind: 'columns',
            code: 'MISSING_COLUMN',
            message: `This ${t.label} export has no ${displayName(detected, 'campaign_name')} column, which every row needs. Add it to the report and export it again.`,
          }
        : { kind: 'noCampaign', code: 'MISSING_COLUMN', message: noCampaignMessage(t) },
    );
  }
  const missing: Field[] = [];
  if (!has('impressions')) missing.push('impressions');
  if (!has('clicks')) missing.push('clicks');
  if (!has('spend')) missing.push('spend');
  if (adLevel && !adSetLevel) missing.push('ad_set_name');
  const untranslated = localUnknown && (missing.length > 0 || !has('conversions') || !has('conversion_value'));
  if (untranslated) {
    const recognised = Object.values(columns).map((c) => c.header);
    const lacks = missing.length > 0 ? ` It found no ${missing.map((f) => displayName(detected, f)).join(', ')} column.` : '';
    problems.push({
      kind: 'columns',
      code: 'UNKNOWN_FORMAT',
      columns: unknownNames,
      message: `This ${t.label} export uses ${LANGUAGE_NAMES[language]} column names. metricdrop read ${recognised.join(', ') || 'none of them'} but does not know the columns ${unknownNames.map((n) => `"${n}"`).join(', ')} and will not guess what they hold.${lacks} Map those columns, or ${LANGUAGE_SETTING[detected]} and export the report again.`,
    });
  } else if (missing.length === 1) {
    const name = displayName(detected, missing[0]!);
    problems.push({
      kind: 'columns',
      code: 'MISSING_COLUMN',
      message: `This ${t.label} export has no ${name} column, which every row needs. Add the ${name} column to the report and export it again.`,
    });
  } else if (missing.length > 1) {
    const recognised = Object.values(columns).map((c) => c.header);
    problems.push({
      kind: 'columns',
      code: 'UNKNOWN_FORMAT',
      message: `This looks like a ${t.label} export${recognised.length ? ` (recognised: ${recognised.join(', ')})` : ''}, but it lacks ${missing.map((f) => displayName(detected, f)).join(', ')}. Export a daily report with these columns and try again.`,
    });
  }

  const level: Level = adLevel ? 'ad' : adSetLevel ? 'ad_set' : 'campaign';
  const warnings: ValidationIssue[] = [];
  const matchByName = { campaign: !has('campaign_id'), ad_set: adSetLevel && !has('ad_set_id'), ad: adLevel && !has('ad_id') };
  const nameFromId = { campaign: !has('campaign_name'), ad_set: adSetLevel && !has('ad_set_name'), ad: adLevel && !has('ad_name') };
  const entityLabels = [
    ['campaign', 'campaign_name', 'campaign_id', 'campaigns'],
    ['ad_set', 'ad_set_name', 'ad_set_id', detected === 'meta' ? 'ad sets' : 'ad groups'],
    ['ad', 'ad_name', 'ad_id', 'ads'],
  ] as const;
  for (const [key, nameField, idField, plural] of entityLabels) {
    if (matchByName[key]) {
      warnings.push(
        warning(
          columns[nameField]?.header ?? null,
          `The export has no ${displayName(detected, idField)} column, so ${plural} are matched by name: a renamed one would be counted as new. Add the ${displayName(detected, idField)} column to the export to avoid this.`,
        ),
      );
    }
    if (nameFromId[key]) {
      warnings.push(
        warning(
          columns[idField]?.header ?? null,
          `The export has no ${displayName(detected, nameField)} column, so ${plural} are named by their ID.`,
        ),
      );
    }
  }
  const hasConversions = has('conversions') || has('results');
  if (!hasConversions) {
    warnings.push(
      warning(
        null,
        `The export has no ${displayName(detected, 'conversions')} column, so conversions are recorded as 0. Add the column to the export if you report on them.`,
      ),
    );
  }
  if (!has('conversion_value') && !has('results_value')) {
    warnings.push(
      warning(null, `The export has no ${displayName(detected, 'conversion_value')} column, so conversion value is recorded as 0.`),
    );
  }

  const refs: Partial<Record<Field, ColumnRef>> = {};
  for (const [field, c] of Object.entries(columns) as [Field, ColumnRef][]) refs[field] = { index: c.index, header: c.header };
  const recognition: Recognition = {
    platform: detected,
    level,
    language,
    columns: refs,
    candidates,
    headerCurrency,
    matchByName,
    nameFromId,
    dateFromRange,
    decimalHint: DECIMAL_COMMA_LANGUAGES.has(language) ? ',' : null,
    unknownColumns,
    segments,
    duplicates: copies,
    warnings,
  };
  if (problems.length > 0) {
    return { ok: false, platform: detected, refusal: composeRefusal(problems), pending: { problems, recognition, segments } };
  }
  return { ok: true, recognition };
}

/**
 * Places the confirmed fields over what the tables found (a column they name feeds no other field
 * and is no longer unknown); returns the spend currency: a mapped spend column's own `(EUR)`-style
 * suffix, written in capitals, or none.
 */
function applyConfirmedColumns(
  mapping: ConfirmedColumns,
  found: {
    columns: Partial<Record<Field, ColumnRef & { rank: number }>>;
    candidates: Partial<Record<Field, ColumnRef[]>>;
    unknownColumns: number[];
    copies: DuplicateCopies[];
  },
  headerCurrency: string | null,
): string | null {
  const confirmed = new Set(Object.values(mapping).map((c) => c.index));
  const { columns, candidates, unknownColumns, copies } = found;
  for (const f of Object.keys(columns) as Field[]) if (confirmed.has(columns[f]!.index)) delete columns[f];
  for (const f of Object.keys(candidates) as Field[]) candidates[f] = candidates[f]!.filter((c) => !confirmed.has(c.index));
  for (const [f, c] of Object.entries(mapping) as [Field, ColumnRef][]) {
    columns[f] = { index: c.index, header: c.header, rank: -1 };
    candidates[f] = [{ index: c.index, header: c.header }];
  }
  for (let i = unknownColumns.length - 1; i >= 0; i--) if (confirmed.has(unknownColumns[i]!)) unknownColumns.splice(i, 1);
  for (let i = copies.length - 1; i >= 0; i--) {
    const c = copies[i]!;
    if (mapping[c.field] !== undefined || c.indices.some((x) => confirmed.has(x))) copies.splice(i, 1);
  }
  if (!mapping.spend) return headerCurrency;
  return /\(([A-Z]{3})\)\s*$/.exec(mapping.spend.header)?.[1] ?? null;
}

/**
 * What one platform's header table makes of a normalised header: the field (with its rank) and a
 * currency suffix, or null. For the mapping proposal (`electron/engine/mapping/`).
 */
export function tableField(platform: Platform, normalised: string): { field: Field; rank: number; currency: string | null } | null {
  const t = tableFor(platform);
  const alias = t.aliases.get(normalised);
  if (alias) return { field: alias.field, rank: alias.rank, currency: null };
  const spend = spendAlias(t, normalised);
  return spend ? { field: spend.alias.field, rank: spend.alias.rank, currency: spend.currency } : null;
}

/** Whether a normalised header is a time column other than a day (`Week`, `Month`) for the platform. */
export function isOtherTimeColumn(platform: Platform, normalised: string): boolean {
  return tableFor(platform).otherTimeColumns.has(normalised);
}

/** The platform the header alone decides (as `recogniseHeader` without `--platform`), or null. */
export function detectedPlatform(headers: readonly string[], ctx: Pick<RecogniseContext, 'preamble' | 'encoding'>): Platform | null {
  const found = detectPlatform(headers, headers.map(normaliseHeader), { ...ctx });
  return typeof found === 'string' ? found : null;
}

/** Every platform whose header table knows at least one of these headers, most known first. */
export function platformsKnowing(headers: readonly string[]): Platform[] {
  const normalised = headers.map(normaliseHeader).filter((h) => h !== '');
  return PLATFORM_TABLES.map((t) => ({ platform: t.platform, n: normalised.filter((h) => knows(t, h)).length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n)
    .map((x) => x.platform);
}

/** A header cell as written, without a byte-order mark or outer spaces. */
function asWritten(header: string): string {
  return header.replace(/^\uFEFF/, '').trim();
}

/** A file-level warning about a column the export lacks. */
function warning(column: string | null, message: string): ValidationIssue {
  return { row: null, column, code: 'MISSING_COLUMN', severity: 'warning', message };
}

function majorityLanguage(votes: Map<Language, number>): Language {
  let best: Language = 'en';
  let count = 0;
  for (const [language, n] of votes) {
    if (n > count || (n === count && language === 'en')) {
      best = language;
      count = n;
    }
  }
  return best;
}

function detectPlatform(headers: readonly string[], normalised: readonly string[], ctx: RecogniseContext): Platform | FileProblem {
  const scores = PLATFORM_TABLES.map((t) => {
    let score = 0;
    for (const h of normalised) {
      if (t.signatures.has(h)) score++;
      else if (t.platform !== 'google' && spendAlias(t, h)?.currency) score++;
    }
    if (t.platform === 'google' && ctx.preamble.length > 0) score++;
    if (t.platform === 'google' && (ctx.encoding === 'utf-16le' || ctx.encoding === 'utf-16be')) score++;
    return { table: t, score };
  }).sort((a, b) => b.score - a.score);
  const [first, second] = scores;
  if (first && first.score > 0 && first.score > (second?.score ?? 0)) return first.table.platform;

  // Field names of a database or an API (`fb_campaign_id`, `Total_Conversion`): the platforms' UIs
  // write words with spaces (every real export in docs/header-evidence.md#real-exports does).
  const apiNames = headers.map((h) => h.replace(/^\uFEFF/, '').trim()).filter((h) => /^[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)+$/u.test(h));
  if ((!first || first.score === 0) && apiNames.length >= 2) {
    return {
      kind: 'notExport',
      code: 'UNKNOWN_FORMAT',
      columns: apiNames,
      message: `This is not a file downloaded from Meta Ads Manager, Google Ads or TikTok Ads Manager: its columns (${apiNames
        .slice(0, 4)
        .map((h) => `"${h}"`)
        .join(
          ', ',
        )}) are database or API field names, not the column names the platforms' exports use. Export a daily performance report (campaign, ad set or ad level, by day) from the platform itself.`,
    };
  }

  const asWritten = (keep: (h: string) => boolean) =>
    headers.filter((_, i) => keep(normalised[i]!)).map((h) => h.replace(/^\uFEFF/, '').trim());
  const known = asWritten((h) => h !== '' && PLATFORM_TABLES.some((t) => knows(t, h)));
  const shown = (hs: readonly string[]) => hs.map((h) => `"${h}"`).join(', ');
  if (first && first.score > 0) {
    const tied = scores.filter((s) => s.score === first.score).map((s) => s.table.label);
    return {
      kind: 'platform',
      code: 'UNKNOWN_FORMAT',
      message: `This file has columns of more than one platform (${tied.join(' and ')}), so metricdrop will not guess. Run again with --platform meta, google or tiktok (in the app, choose the platform).`,
    };
  }
  if (known.length > 0) {
    return {
      kind: 'platform',
      code: 'UNKNOWN_FORMAT',
      message: `The columns ${shown(known)} are used by Meta, Google Ads and TikTok alike, so metricdrop cannot tell which platform exported this file and will not guess. Run again with --platform meta, google or tiktok (in the app, choose the platform).`,
    };
  }
  const firstCells = asWritten((h) => h !== '').slice(0, 6);
  return {
    kind: 'notExport',
    code: 'UNKNOWN_FORMAT',
    message: `metricdrop does not recognise this file as a Meta Ads Manager, Google Ads or TikTok Ads Manager export: none of its columns (${firstCells.length ? shown(firstCells) : 'none found'}) is one those platforms write. Export a daily performance report (campaign, ad set or ad level, by day) from one of them.`,
  };
}

function noDayMessage(
  t: PlatformTable,
  otherTime: string | null,
  preamble: readonly string[],
  local: { language: Language; unknown: readonly string[] } | null,
): string {
  const period = t.platform === 'google' && preamble.length > 1 ? ` (this report covers ${preamble[1]})` : '';
  const lead = otherTime
    ? `This ${t.label} export is split by ${otherTime}, not by day${period}.`
    : local
      ? `This ${t.label} export has no day column metricdrop knows in ${LANGUAGE_NAMES[local.language]}${period} (it does not know ${local.unknown.map((n) => `"${n}"`).join(', ')}), so it cannot tell its rows are days.`
      : `This ${t.label} export has no ${t.dayColumn} column${period}, so its rows are totals over the whole period, not days.`;
  return `${lead} ${SPLIT_BY_DAY[t.platform]}`;
}

function noCampaignMessage(t: PlatformTable): string {
  return `This ${t.label} export has no campaign column: its rows are account totals, not campaigns, ad sets or ads. ${BY_CAMPAIGN[t.platform]}`;
}

/** How to export rows per campaign, in each platform's own words. */
const BY_CAMPAIGN: Record<Platform, string> = {
  meta: 'In Ads Manager export the Campaigns, Ad sets or Ads tab (with Breakdown › By time › Day) instead.',
  google: 'In Google Ads download the Campaigns, Ad groups or Ads table segmented by Day (not an Overview card).',
  tiktok: 'In TikTok Ads Manager export a custom report with the Campaign, Ad group or Ad dimension and By Day.',
};

/** How to export the same report split by day, in each platform's own words. */
const SPLIT_BY_DAY: Record<Platform, string> = {
  meta: 'In Ads Manager choose Breakdown › By time › Day and export again.',
  google: 'In Google Ads choose Segment › Time › Day (or add the Day column to the report) and download it again.',
  tiktok: 'In TikTok Ads Manager add the By Day time dimension to the report and export again.',
};

/** Message for Meta files whose rows span the whole range (Reporting starts ≠ Reporting ends). */
export function aggregatedRangeMessage(from: string, to: string, row: number): string {
  return `This Meta Ads Manager export has no Day column and row ${row} covers ${from} to ${to} as one total, so the file holds no daily numbers. ${SPLIT_BY_DAY.meta}`;
}
