import type { Platform } from '../../../shared/canonical.ts';

/**
 * Header alias tables: how each platform (and each UI language the research found) names the
 * columns the canonical row is built from. Headers are compared after `normaliseHeader`
 * (trimmed, lower case, single spaces). Source: ../shared/spec/platform-exports.md §1-§6.
 */

export type Field =
  | 'date'
  | 'rangeStart'
  | 'rangeEnd'
  | 'campaignName'
  | 'campaignId'
  | 'adSetName'
  | 'adSetId'
  | 'adName'
  | 'adId'
  | 'impressions'
  | 'clicks'
  | 'spend'
  | 'conversions'
  | 'conversionValue'
  | 'results'
  | 'resultIndicator'
  | 'resultsValue'
  | 'resultValueIndicator'
  | 'currency';

export type Language = 'en' | 'de' | 'es' | 'ms' | 'nl' | 'ko';

export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  de: 'German',
  es: 'Spanish',
  ms: 'Malay',
  nl: 'Dutch',
  ko: 'Korean',
};

/** Languages whose number format uses a decimal comma: a hint when the cells do not decide. */
export const DECIMAL_COMMA_LANGUAGES: ReadonlySet<Language> = new Set(['de', 'es', 'nl']);

export interface Alias {
  field: Field;
  /** Lower rank wins when several headers give the same field (`Link clicks` before `Clicks (all)`). */
  rank: number;
  language: Language;
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
  /** The name of the daily time column in this platform's UI, for messages. */
  dayColumn: string;
}

type Spec = Partial<Record<Field, readonly string[]>>;

function table(
  platform: Platform,
  label: string,
  languages: Partial<Record<Language, Spec>>,
  spendBases: Partial<Record<Language, readonly string[]>>,
  extra: {
    ignored: readonly string[];
    ignoredPrefixes: readonly string[];
    signatures: readonly string[];
    otherTimeColumns: readonly string[];
    dayColumn: string;
  },
): PlatformTable {
  const aliases = new Map<string, Alias>();
  for (const [language, spec] of Object.entries(languages) as [Language, Spec][]) {
    for (const [field, names] of Object.entries(spec) as [Field, readonly string[]][]) {
      names.forEach((name, rank) => aliases.set(name, { field, rank, language }));
    }
  }
  const bases = new Map<string, Alias>();
  for (const [language, names] of Object.entries(spendBases) as [Language, readonly string[]][]) {
    names.forEach((name, rank) => bases.set(name, { field: 'spend', rank, language }));
  }
  return {
    platform,
    label,
    aliases,
    spendBases: bases,
    ignored: new Set(extra.ignored),
    ignoredPrefixes: extra.ignoredPrefixes,
    signatures: new Set(extra.signatures),
    otherTimeColumns: new Set(extra.otherTimeColumns),
    dayColumn: extra.dayColumn,
  };
}

export const META = table(
  'meta',
  'Meta Ads Manager',
  {
    en: {
      date: ['day'],
      rangeStart: ['reporting starts'],
      rangeEnd: ['reporting ends'],
      campaignName: ['campaign name'],
      campaignId: ['campaign id'],
      adSetName: ['ad set name'],
      adSetId: ['ad set id'],
      adName: ['ad name'],
      adId: ['ad id'],
      impressions: ['impressions'],
      clicks: ['link clicks', 'clicks (all)', 'outbound clicks'],
      conversions: ['purchases', 'website purchases'],
      conversionValue: ['purchases conversion value', 'website purchases conversion value'],
      results: ['results'],
      resultIndicator: ['result indicator'],
      resultsValue: ['results value'],
      resultValueIndicator: ['result value indicator'],
      currency: ['currency'],
    },
    // The spec lists these German names (four parsers); the three ID headers and `Käufe` follow the
    // same UI's naming and are assumptions: an unknown German column refuses the file (see recognise).
    de: {
      date: ['tag'],
      campaignName: ['kampagnenname'],
      campaignId: ['kampagnen-id'],
      adSetName: ['name der anzeigengruppe'],
      adSetId: ['anzeigengruppen-id'],
      adName: ['anzeigenname'],
      adId: ['anzeigen-id'],
      impressions: ['impressionen'],
      clicks: ['link-klicks', 'klicks (alle)'],
      conversions: ['käufe'],
    },
    es: {
      date: ['día'],
      rangeStart: ['inicio del informe'],
      campaignName: ['nombre de la campaña'],
      adName: ['nombre del anuncio'],
    },
    ms: {
      rangeStart: ['tarikh mula'],
      adName: ['nama iklan'],
      impressions: ['teraan'],
    },
  },
  { en: ['amount spent'], de: ['ausgegebener betrag'], es: ['importe gastado'], ms: ['jumlah dibelanjakan'] },
  {
    ignored: [
      'reach', 'reichweite', 'capaian', 'frequency', 'ad delivery', 'campaign delivery', 'ad set delivery',
      'ad set budget', 'ad set budget type', 'starts', 'ends', 'attribution setting', 'adds to cart',
      'objective', 'bid strategy', 'quality ranking', 'engagement rate ranking', 'conversion rate ranking',
      'video plays at 50%', 'video plays at 25%', 'video plays at 75%', 'video plays at 100%',
      '3-second video plays', '3-second video plays rate per impressions', 'landing page views',
      'unique link clicks', 'ctr (all)', 'account name', 'account id',
    ],
    ignoredPrefixes: ['cpm', 'cpc', 'ctr', 'cost per', 'purchase roas', 'website purchase roas', 'roas'],
    signatures: [
      'reporting starts', 'reporting ends', 'result indicator', 'result value indicator', 'results value',
      'ad set name', 'ad set id', 'link clicks', 'purchases conversion value', 'website purchases',
      'kampagnenname', 'name der anzeigengruppe', 'anzeigenname', 'link-klicks', 'klicks (alle)',
      'impressionen', 'nombre de la campaña', 'nombre del anuncio', 'inicio del informe', 'nama iklan',
      'teraan', 'tarikh mula', 'capaian', 'reichweite',
    ],
    otherTimeColumns: ['week', 'month'],
    dayColumn: 'Day',
  },
);

export const GOOGLE = table(
  'google',
  'Google Ads',
  {
    en: {
      date: ['day'],
      campaignName: ['campaign'],
      campaignId: ['campaign id'],
      adSetName: ['ad group'],
      adSetId: ['ad group id'],
      adName: ['ad name', 'ad'],
      adId: ['ad id'],
      impressions: ['impr.', 'impressions'],
      clicks: ['clicks', 'interactions'],
      spend: ['cost'],
      conversions: ['conversions', 'all conv.'],
      conversionValue: ['conv. value', 'all conv. value'],
      currency: ['currency code', 'currency'],
    },
    // Listed in the spec from a real Dutch file; `dag`, the two ID headers and `conv.waarde` follow
    // the same naming and are assumptions (an unknown Dutch column refuses the file).
    nl: {
      date: ['dag'],
      campaignName: ['campagne'],
      campaignId: ['campagne-id'],
      adSetName: ['advertentiegroep'],
      adSetId: ['advertentiegroep-id'],
      impressions: ['vertoningen'],
      clicks: ['aantal klikken'],
      spend: ['kosten'],
      conversions: ['conversies'],
      conversionValue: ['conv.waarde'],
      currency: ['valutacode'],
    },
  },
  {},
  {
    ignored: [
      'ctr', 'avg. cpc', 'cost / conv.', 'conv. rate', 'conv. value / cost', 'campaign status', 'status',
      'budget', 'budget name', 'budget type', 'status reasons', 'optimization score', 'campaign type',
      'bid strategy type', 'avg. target roas', 'trueview views', 'trueview avg. cpv', 'unique users',
      'avg. cpm', 'avg. cost', 'interaction rate', 'account', 'customer id', 'ad group status',
      'ad group state', 'campaign state', 'search impr. share', 'view-through conv.', 'cost / all conv.',
      'all conv. rate', 'conv.waarde/kosten', 'gem. cpc', 'ctr', 'kosten/conv.', 'conv.ratio',
    ],
    ignoredPrefixes: ['search ', 'avg. ', 'cost / ', 'conv. rate', 'gem. '],
    signatures: [
      'impr.', 'ad group', 'ad group id', 'currency code', 'conv. value', 'avg. cpc', 'cost / conv.',
      'all conv.', 'all conv. value', 'conv. rate', 'conv. value / cost', 'vertoningen',
      'campagne', 'advertentiegroep', 'aantal klikken', 'kosten', 'conversies', 'valutacode',
      'conv.waarde/kosten', 'campaign status', 'optimization score',
    ],
    otherTimeColumns: ['week', 'month', 'quarter', 'year', 'day of the week', 'hour of the day', 'week (mon - sun)', 'week (sun - sat)'],
    dayColumn: 'Day',
  },
);

export const TIKTOK = table(
  'tiktok',
  'TikTok Ads Manager',
  {
    en: {
      date: ['by day', 'date'],
      campaignName: ['campaign name'],
      campaignId: ['campaign id'],
      adSetName: ['ad group name', 'adgroup name'],
      adSetId: ['ad group id', 'adgroup id'],
      adName: ['ad name'],
      adId: ['ad id'],
      impressions: ['impressions', 'impression'],
      clicks: ['clicks (destination)', 'clicks (all)', 'clicks'],
      // Purchases first, as for Meta: `Conversions` is the optimisation event, not always a purchase.
      conversions: ['complete payment', 'purchases (shop)', 'conversions'],
      conversionValue: [
        'total complete payment value', 'complete payment value', 'purchase value', 'total purchase value',
        'gross revenue (shop)',
      ],
      currency: ['currency'],
    },
    ko: {
      date: ['일별'],
      adName: ['광고 이름'],
      adId: ['광고 id'],
      impressions: ['노출수'],
      clicks: ['클릭수(목적지)'],
      spend: ['비용'],
      conversions: ['전환수'],
    },
  },
  { en: ['cost', 'total cost', 'spend'] },
  {
    ignored: [
      'reach', 'frequency', 'ctr (destination)', 'cpc (destination)', 'cpm', 'cost per conversion',
      'conversion rate (cvr)', 'conversion rate (cvr, clicks)', 'cvr (clicks)', 'real-time conversions',
      'primary status', 'ctr (all)', 'cpc (all)', 'complete payment roas', 'roas (shop)', 'status',
      'ad group budget', 'campaign budget',
    ],
    ignoredPrefixes: ['cost per ', 'cpc', 'cpm', 'ctr', 'cvr'],
    signatures: [
      'by day', 'clicks (destination)', 'ctr (destination)', 'cpc (destination)', 'ad group name',
      'adgroup name', 'adgroup id', 'total complete payment value', 'complete payment',
      'complete payment value', 'primary status', 'cost per conversion', 'conversion rate (cvr)',
      '일별', '클릭수(목적지)', '노출수', '전환수', '광고 이름',
    ],
    otherTimeColumns: ['by week', 'by month', 'by hour'],
    dayColumn: 'By Day',
  },
);

export const PLATFORM_TABLES: readonly PlatformTable[] = [META, GOOGLE, TIKTOK];

export function tableFor(platform: Platform): PlatformTable {
  return platform === 'meta' ? META : platform === 'google' ? GOOGLE : TIKTOK;
}

/** Trimmed, lower case, single spaces, no byte-order mark. */
export function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

const CURRENCY_SUFFIX = /^(.*?)\s*\(([A-Za-z]{3})\)$/;

/** `amount spent (eur)` -> { base: 'amount spent', currency: 'EUR' }. */
export function splitCurrencySuffix(normalised: string): { base: string; currency: string } | null {
  const m = CURRENCY_SUFFIX.exec(normalised);
  return m ? { base: m[1]!, currency: m[2]!.toUpperCase() } : null;
}
