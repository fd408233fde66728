import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Spanish UI. */
export const META_ES: HeaderTable = {
  platform: 'meta',
  language: 'es',
  sources: {
    M4: '../shared/spec/platform-exports.md M4 (public file id 62124282682: parser of a real Spanish .xlsx)',
    sheets: 'public file id 71051498505 (Google Sheets sync script: "the same columns as your Excel exported from Ads Manager")',
    parser:
      'public file id 68835809114 (Meta export parser: inicio/fin del informe, día, nombre del conjunto de anuncios, importe gastado)',
    M6: 'public file id 56304138458 (spec M6 parser with a Spanish column map: impresiones, clics en el enlace, clics (todos), alcance, resultados, compras en el sitio web)',
    export:
      'public file id 45232907671 (writes Meta-style rows: Nombre de la campaña, Nombre del conjunto de anuncios, Nombre del anuncio, Día)',
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
