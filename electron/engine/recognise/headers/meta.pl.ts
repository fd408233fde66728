import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Polish UI. Sources: docs/header-evidence.md#meta-pl. */
export const META_PL: HeaderTable = {
  platform: 'meta',
  language: 'pl',
  sources: {
    plan: 'docs/header-evidence.md#meta-pl: public code file 19239865145 (Meta Ads CSV parser column map: Nazwa kampanii, Dzień, Kliknięcia linku, Zasięg, Wyświetlenia, Typ wyniku, Wyniki, Wydana kwota (PLN))',
    upload:
      'docs/header-evidence.md#meta-pl: public code file 41266322120 (required columns of a Polish Ads Manager CSV: Nazwa zestawu reklam, Wydana kwota (PLN), Wyniki, Kliknięcia (wszystkie), Zasięg, Wyświetlenia, CPC (wszystkie) (PLN))',
    test: 'docs/header-evidence.md#meta-pl: public code file 70664261758 (test with a Polish Meta export: Nazwa reklamy, Wydana kwota (PLN), Wyświetlenia, Kliknięcia linku, Wyniki)',
    parser:
      'docs/header-evidence.md#meta-pl: public code file 70268842766 (column detection: dzień, początek raportowania, nazwa reklamy, nazwa kampanii, wydana kwota, wyświetlenia, kliknięcia linku)',
    real: 'docs/header-evidence.md#meta-pl: public code file 30155508505 ("real Meta Business Suite data", sheet Worksheet: Nazwa kampanii, Wydana kwota (PLN), Wyświetlenia, Zasięg, Zakupy)',
  },
  fields: {
    date: ['Dzień'], // 19239865145; 70268842766
    range_start: ['Początek raportowania'], // 70268842766
    campaign_name: ['Nazwa kampanii'], // 19239865145; 70268842766; 30155508505
    ad_set_name: ['Nazwa zestawu reklam'], // 41266322120
    ad_name: ['Nazwa reklamy'], // 70664261758; 70268842766
    impressions: ['Wyświetlenia'], // all five
    clicks: ['Kliknięcia linku', 'Kliknięcia (wszystkie)'], // 19239865145, 70664261758; 41266322120
    conversions: ['Zakupy'], // 30155508505
    results: ['Wyniki'], // 19239865145; 41266322120
  },
  spendBases: ['Wydana kwota'], // all five
  ignored: ['Zasięg', 'Typ wyniku'],
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'Koszt'],
  signatures: ['Nazwa zestawu reklam', 'Kliknięcia linku', 'Wydana kwota', 'Typ wyniku', 'Początek raportowania'],
};
