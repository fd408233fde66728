import type { HeaderTable } from './types.ts';

/**
 * TikTok Ads Manager, Portuguese UI, from a loader of monthly TikTok CSVs (public file id
 * 54296467179, load_tiktok_month: Custo, Impressões, Alcance, Resultados, Custo por resultado,
 * CPC (Destino), CPM, Nome da campanha, Cliques (Destino)).
 */
export const TIKTOK_PT: HeaderTable = {
  platform: 'tiktok',
  language: 'pt',
  sources: { loader: 'public file id 54296467179' },
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
