import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Italian UI. Sources: docs/header-evidence.md#meta-it and #m6. */
export const META_IT: HeaderTable = {
  platform: 'meta',
  language: 'it',
  sources: {
    M6: 'docs/header-evidence.md#m6: public code file 56304138458 (one of the M6 parsers: a Meta export parser with an Italian column map)',
    howto:
      'docs/header-evidence.md#meta-it: public code file 55815415570 (export instructions: Breakdown Giorno; columns Giorno, Copertura, Impression, Importo speso (EUR), Clic sul link)',
    test: 'docs/header-evidence.md#meta-it: public code file 60881751227 (test with an Italian Ads Manager CSV: Nome della campagna, Risultati, Importo speso (EUR), Costo per risultato, Impression, Clic sul link, CTR (percentuale di clic sul link), …, Frequenza)',
    script:
      'docs/header-evidence.md#meta-it: public code file 15182447099 (R script reading an Italian Meta export: Giorno, Nome della campagna, Importo speso (EUR), Impression)',
    parser:
      'docs/header-evidence.md#meta-it: public code file 70258866974 (Italian export parser: Importo speso (EUR), Impression, Copertura, Budget del gruppo di inserzioni, Costo per risultati)',
  },
  fields: {
    date: ['Giorno'], // 56304138458; 55815415570; 15182447099
    campaign_name: ['Nome della campagna'], // 56304138458; 60881751227; 15182447099
    ad_set_name: ['Nome del gruppo di inserzioni'], // 56304138458
    ad_name: ["Nome dell'inserzione"], // 56304138458
    impressions: ['Impression', 'Impressioni'], // 55815415570, 60881751227, 15182447099; 56304138458
    clicks: ['Clic sul link', 'Clic (tutti)'], // 55815415570, 60881751227; 56304138458
    conversions: ['Acquisti sul sito web'], // 56304138458
    results: ['Risultati'], // 56304138458; 60881751227
  },
  spendBases: ['Importo speso'], // all five
  ignored: ['Copertura', 'Frequenza', 'Fine', 'Budget del gruppo di inserzioni', 'Tipo di budget del gruppo di inserzioni'],
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'Costo per', 'ROAS'],
  signatures: ['Nome del gruppo di inserzioni', "Nome dell'inserzione", 'Clic sul link', 'Importo speso'],
};
