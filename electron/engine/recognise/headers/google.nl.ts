import type { HeaderTable } from './types.ts';

/** Google Ads, Dutch UI. Sources: docs/header-evidence.md#g1 and #google-nl. */
export const GOOGLE_NL: HeaderTable = {
  platform: 'google',
  language: 'nl',
  sources: {
    G1: 'docs/header-evidence.md#g1: a real Dutch Google Ads keyword report published at pyroy/PredictiveMarketing, Datasets/Google Ads - Zoekwoordrapport.csv (b2356a2d9069)',
    parser:
      'docs/header-evidence.md#google-nl: public code file 55974707842 (parser of Google Ads exports with EN and NL column names: klikken, vertoningen, kosten, conversies, gem. cpc)',
  },
  fields: {
    campaign_name: ['Campagne'], // G1
    ad_set_name: ['Advertentiegroep'], // G1
    impressions: ['Vertoningen'], // G1
    clicks: ['Aantal klikken', 'Klikken'], // G1; 55974707842
    spend: ['Kosten'], // G1; 55974707842
    conversions: ['Conversies'], // G1; 55974707842
    currency: ['Valutacode'], // G1
  },
  ignored: [
    'Conv.waarde/kosten',
    'Gem. CPC',
    'Kosten/conv.',
    'Conv. perc.',
    'Zoekwoordstatus',
    'Zoekwoord',
    'Status',
    'Max. CPC',
    'Opties voor zoekwoorden',
    'Beleidsdetails',
    'Uiteindelijke URL',
    'Uiteindelijke URL voor mobiel',
    'Klikaandeel',
    'Kwaliteitsscore',
    'Advertentierelevantie',
    'Erv. op bestemmingspagina',
    'Verton.perc. voor Zoeken',
    'Verloren VP voor Zoeken (positie)',
  ], // all G1
  ignoredPrefixes: ['Gem. '],
  signatures: ['Vertoningen', 'Campagne', 'Advertentiegroep', 'Aantal klikken', 'Kosten', 'Conversies', 'Valutacode', 'Conv.waarde/kosten'],
};
