import type { HeaderTable } from './types.ts';

/** TikTok Ads Manager, Spanish UI. Sources: docs/header-evidence.md#tiktok-es. */
export const TIKTOK_ES: HeaderTable = {
  platform: 'tiktok',
  language: 'es',
  sources: {
    excel:
      'docs/header-evidence.md#tiktok-es: public code file 69009971624 (tiktok_from_excel: Nombre de la campaña, Nombre del anuncio, Objetivo publicitario, Gasto, Impresiones, Alcance, Clics (destino), Visualizaciones de vídeo, Por día, Moneda; "the export adds a Total row")',
    daily:
      'docs/header-evidence.md#tiktok-es: public code files 62203115434, 26709561042, 26477650543 (daily TikTok files: Por día, Coste, Impresiones, Clics (destino), Conversiones, Edad)',
    map: 'docs/header-evidence.md#tiktok-es: public code file 55340891529 (column detection: clics (destino), ctr (destino), coste)',
  },
  fields: {
    date: ['Por día'], // 69009971624; 62203115434; 26709561042; 26477650543
    campaign_name: ['Nombre de la campaña'], // 69009971624
    ad_name: ['Nombre del anuncio'], // 69009971624
    impressions: ['Impresiones'],
    clicks: ['Clics (destino)'],
    spend: ['Coste', 'Gasto'], // 62203115434 and 2 more; 69009971624
    conversions: ['Conversiones'], // 62203115434 and 2 more
    currency: ['Moneda'], // 69009971624
  },
  ignored: ['Objetivo publicitario', 'Alcance', 'Visualizaciones de vídeo', 'Seguidores de pago', 'Visitas al perfil pagadas'],
  ignoredPrefixes: ['CTR', 'CPC', 'CPM'],
  signatures: ['Por día', 'Clics (destino)', 'CTR (destino)'],
};
