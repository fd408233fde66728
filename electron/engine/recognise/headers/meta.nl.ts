import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Dutch UI. Sources: docs/header-evidence.md#meta-nl. */
export const META_NL: HeaderTable = {
  platform: 'meta',
  language: 'nl',
  sources: {
    script:
      'docs/header-evidence.md#meta-nl: public code file 61944943394 (R script listing the columns of a Dutch Ads Manager export: Campagnenaam, Naam advertentieset, Weergaven, Besteed bedrag (EUR), Start rapportage, Einde rapportage, …)',
    parser:
      'docs/header-evidence.md#meta-nl: public code file 56132957733 (Dutch <-> English column map of a Meta export: Advertentienaam, Klikken op links, Klikken (alle), …)',
  },
  fields: {
    range_start: ['Start rapportage'], // 61944943394
    range_end: ['Einde rapportage'], // 61944943394
    campaign_name: ['Campagnenaam'], // 61944943394
    ad_set_name: ['Naam advertentieset'], // 61944943394; 56132957733
    ad_name: ['Advertentienaam', 'Naam advertentie'], // 56132957733
    impressions: ['Weergaven'], // 61944943394; 56132957733
    clicks: ['Klikken op links', 'Klikken (alle)'], // 56132957733
    results: ['Resultaten'], // 61944943394; 56132957733
    result_indicator: ['Resultatenindicator'], // 56132957733
  },
  spendBases: ['Besteed bedrag'], // 61944943394 `Besteed bedrag (EUR)`; 56132957733
  ignored: [
    'Bereik',
    'Frequentie',
    'Weergavestatus',
    'Resultaattype',
    'Begint op',
    'Eindigt op',
    'Kwaliteitsscore',
    'Weergaven van landingspagina',
  ],
  ignoredPrefixes: ['Kosten per'], // `Kosten per resultaat`
  signatures: ['Naam advertentieset', 'Start rapportage', 'Einde rapportage', 'Klikken op links', 'Resultatenindicator', 'Advertentienaam'],
};
