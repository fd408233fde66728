import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, French UI. Sources: docs/header-evidence.md#meta-fr and #m6. */
export const META_FR: HeaderTable = {
  platform: 'meta',
  language: 'fr',
  sources: {
    import:
      'docs/header-evidence.md#meta-fr: public code file 33624738368 (import of a French Ads Manager export: Début des rapports, Fin des rapports, Nom de la campagne, Impressions, Clics sur un lien, Montant dépensé (USD), Devise, Couverture, Répétition, …)',
    M6: 'docs/header-evidence.md#m6: public code file 56304138458 (one of the M6 parsers: a Meta export parser with French, Spanish, German, Italian and Portuguese column maps)',
  },
  fields: {
    date: ['Jour'], // 56304138458
    range_start: ['Début des rapports'], // 33624738368
    range_end: ['Fin des rapports'], // 33624738368
    campaign_name: ['Nom de la campagne'], // 33624738368; 56304138458
    ad_set_name: ["Nom de l'ensemble de publicités"], // 56304138458
    ad_name: ['Nom de la publicité'], // 56304138458
    impressions: ['Impressions'], // 33624738368
    clicks: ['Clics sur un lien', 'Clics sur le lien', 'Clics (tous)'], // 33624738368; 56304138458
    conversions: ['Achats sur le site web'], // 56304138458
    results: ['Résultats'], // 56304138458
    currency: ['Devise'], // 33624738368
  },
  spendBases: ['Montant dépensé'], // 33624738368 `Montant dépensé (USD)`; 56304138458
  ignored: [
    'Nom du compte',
    'Couverture',
    'Portée',
    'Répétition',
    'Fréquence',
    'Prospects',
    'Vues de page de destination',
    "Diffusion de l'ensemble de publicités",
  ],
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'Coût par', 'ROAS'],
  signatures: ['Début des rapports', 'Fin des rapports', 'Clics sur un lien', "Nom de l'ensemble de publicités", 'Montant dépensé'],
};
