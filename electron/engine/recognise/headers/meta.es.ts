import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Spanish UI. Sources: docs/header-evidence.md#m4, #m6 and #meta-es. */
export const META_ES: HeaderTable = {
  platform: 'meta',
  language: 'es',
  sources: {
    M4: 'docs/header-evidence.md#m4: a parser of a real Meta .xlsx export in Spanish (public code file 62124282682)',
    sheets:
      'docs/header-evidence.md#meta-es: public code file 71051498505 (Google Sheets sync script: "the same columns as your Excel exported from Ads Manager")',
    parser:
      'docs/header-evidence.md#meta-es: public code file 68835809114 (Meta export parser: inicio/fin del informe, día, nombre del conjunto de anuncios, importe gastado)',
    M6: 'docs/header-evidence.md#m6: public code file 56304138458 (one of the M6 parsers, with a Spanish column map: impresiones, clics en el enlace, clics (todos), alcance, resultados, compras en el sitio web)',
    export:
      'docs/header-evidence.md#meta-es: public code file 45232907671 (writes Meta-style rows: Nombre de la campaña, Nombre del conjunto de anuncios, Nombre del anuncio, Día)',
  },
  fields: {
    date: ['Día'], // M4; 68835809114; 45232907671
    range_start: ['Inicio del informe'], // M4; 71051498505; 68835809114
    range_end: ['Fin del informe'], // 71051498505; 68835809114
    campaign_name: ['Nombre de la campaña'], // M4; 45232907671
    ad_set_name: ['Nombre del conjunto de anuncios'], // 71051498505; 68835809114; 45232907671
    ad_name: ['Nombre del anuncio'], // M4; 45232907671
    impressions: ['Impresiones'], // 56304138458
    clicks: ['Clics en el enlace', 'Clics (todos)'], // 56304138458
    conversions: ['Compras en el sitio web'], // 56304138458
    results: ['Resultados'], // 71051498505; 56304138458
    result_indicator: ['Indicador de resultado'], // 71051498505
  },
  spendBases: ['Importe gastado'], // M4 `Importe gastado (USD)`; 68835809114
  ignored: [
    'Alcance',
    'Frecuencia',
    'Entrega del conjunto de anuncios',
    'Presupuesto del conjunto de anuncios',
    'Tipo de presupuesto del conjunto de anuncios',
  ], // 71051498505
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'Costo por', 'Coste por', 'ROAS'], // 71051498505 `Costo por resultados`
  // Not `Nombre de la campaña`, `Nombre del anuncio`: TikTok's Spanish UI writes them too (tiktok.es.ts).
  signatures: [
    'Inicio del informe',
    'Fin del informe',
    'Nombre del conjunto de anuncios',
    'Indicador de resultado',
    'Clics en el enlace',
    'Importe gastado',
  ],
};
