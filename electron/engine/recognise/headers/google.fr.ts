import type { HeaderTable } from './types.ts';

/**
 * Google Ads, French UI, from a loader of Google Ads downloads with its "formats français" map
 * (public code file 27492261488, docs/header-evidence.md#google-fr: campagne, jour, coût,
 * impressions, clics, conversions, valeur de conversion).
 */
export const GOOGLE_FR: HeaderTable = {
  platform: 'google',
  language: 'fr',
  sources: {
    loader: 'docs/header-evidence.md#google-fr: a loader of Google Ads downloads with a French map (public code file 27492261488)',
  },
  fields: {
    date: ['Jour'],
    campaign_name: ['Campagne'],
    impressions: ['Impressions'],
    clicks: ['Clics'],
    spend: ['Coût'],
    conversions: ['Conversions'],
    conversion_value: ['Valeur de conversion'],
  },
};
