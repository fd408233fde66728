import type { HeaderTable } from './types.ts';

/**
 * Google Ads, German UI, from a parser of German Google Ads and Meta downloads (public code file
 * 70937938651, docs/header-evidence.md#google-de: `tag`, `kampagne`, `kosten`, `impressionen`,
 * `klicks`, `conversions`; it tells Google by `anzeigengruppenstatus` or `conv.-rate`).
 */
export const GOOGLE_DE: HeaderTable = {
  platform: 'google',
  language: 'de',
  sources: { parser: 'docs/header-evidence.md#google-de: a parser of German Google Ads and Meta downloads (public code file 70937938651)' },
  fields: {
    date: ['Tag'],
    campaign_name: ['Kampagne'],
    ad_set_name: ['Anzeigengruppe'],
    impressions: ['Impressionen'],
    clicks: ['Klicks'],
    spend: ['Kosten'],
    conversions: ['Conversions'],
  },
  ignored: ['Anzeigengruppenstatus', 'Conv.-Rate'],
  signatures: ['Anzeigengruppenstatus', 'Conv.-Rate', 'Kampagne'],
};
