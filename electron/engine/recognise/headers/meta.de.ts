import type { HeaderTable } from './types.ts';

/**
 * Meta Ads Manager, German UI. Only names seen in public parsers of German exports
 * (docs/header-evidence.md#m6 and #meta-de: public code files 43519876947, 56304138458, 53779016975,
 * 70459752257). The ID columns are not backed yet, so a German file with them is refused naming them
 * (or mapped).
 */
export const META_DE: HeaderTable = {
  platform: 'meta',
  language: 'de',
  sources: {
    M6: 'docs/header-evidence.md#m6: four public parsers of German Meta exports (code files 43519876947, 56304138458, 53779016975, 70459752257)',
    M6b: 'docs/header-evidence.md#meta-de: public code file 56304138458 (one of the M6 parsers: ergebnisse, website-käufe, frequenz, kosten pro ergebnis)',
    parser:
      'docs/header-evidence.md#google-de: public code file 70937938651 (CSV parser of German Google Ads and Meta downloads: `tag`, `kampagnenname`, `name der anzeigengruppe`, `impressionen`)',
  },
  fields: {
    date: ['Tag'], // M6; 70937938651
    campaign_name: ['Kampagnenname'], // M6; 70937938651
    ad_set_name: ['Name der Anzeigengruppe'], // M6; 70937938651
    ad_name: ['Anzeigenname'], // M6
    impressions: ['Impressionen'], // M6; 70937938651
    clicks: ['Link-Klicks', 'Klicks (alle)'], // M6
    conversions: ['Website-Käufe'], // 56304138458
    results: ['Ergebnisse'], // 56304138458
  },
  spendBases: ['Ausgegebener Betrag'], // M6 `Ausgegebener Betrag (EUR)`
  ignored: ['Reichweite', 'Frequenz'], // M6; 56304138458
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'Kosten pro'], // 56304138458 `Kosten pro Ergebnis`
  // Not `Impressionen`, `Tag`: Google's German UI writes them too (google.de.ts).
  signatures: [
    'Kampagnenname',
    'Name der Anzeigengruppe',
    'Anzeigenname',
    'Link-Klicks',
    'Klicks (alle)',
    'Reichweite',
    'Ausgegebener Betrag',
  ],
};
