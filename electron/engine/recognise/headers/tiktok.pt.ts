import type { HeaderTable } from './types.ts';

/**
 * TikTok Ads Manager, Portuguese UI, from a loader of monthly TikTok CSVs (public code file
 * 54296467179, docs/header-evidence.md#tiktok-pt; load_tiktok_month: Custo, Impressões, Alcance,
 * Resultados, Custo por resultado, CPC (Destino), CPM, Nome da campanha, Cliques (Destino)).
 */
export const TIKTOK_PT: HeaderTable = {
  platform: 'tiktok',
  language: 'pt',
  sources: { loader: 'docs/header-evidence.md#tiktok-pt: a loader of monthly TikTok CSVs in Portuguese (public code file 54296467179)' },
  fields: {
    campaign_name: ['Nome da campanha'],
    impressions: ['Impressões'],
    clicks: ['Cliques (Destino)'],
    spend: ['Custo'],
  },
  ignored: ['Alcance', 'Resultados', 'CPM'],
  ignoredPrefixes: ['Custo por', 'CPC'],
  signatures: ['Cliques (Destino)', 'CPC (Destino)'],
};
