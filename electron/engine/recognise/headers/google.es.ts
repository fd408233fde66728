import type { HeaderTable } from './types.ts';

/**
 * Google Ads, Spanish UI, from an importer of Spanish Google Ads Excel downloads
 * (docs/header-evidence.md#google-es: repository luicalariosmx22/auraia2,
 * googleexcel/campaigns_generator.py, commit 7ad93956e40d: its map from the English and the Spanish
 * column names). No day column seen yet: a daily Spanish file is refused
 * naming its day column (or the user maps it).
 */
export const GOOGLE_ES: HeaderTable = {
  platform: 'google',
  language: 'es',
  sources: {
    importer:
      'docs/header-evidence.md#google-es: an importer of Spanish Google Ads Excel downloads, luicalariosmx22/auraia2, googleexcel/campaigns_generator.py (7ad93956e40d)',
  },
  fields: {
    campaign_name: ['Campaña'],
    campaign_id: ['ID de campaña'],
    ad_set_name: ['Grupo de anuncios'],
    ad_set_id: ['ID del grupo de anuncios'],
    impressions: ['Impresiones'],
    clicks: ['Clics'],
    spend: ['Costo'],
    conversions: ['Conversiones', 'Todas las conv.'],
    conversion_value: ['Valor de conversión', 'Valor de todas las conv.'],
    currency: ['Código de moneda'],
  },
  ignored: [
    'Estado de campaña',
    'Estado',
    'Presupuesto',
    'Nombre del presupuesto',
    'Tipo de presupuesto',
    'Tipo de campaña',
    'Subtipo de campaña',
    'Estrategia de oferta',
    'Tipo de estrategia de oferta',
    'CPA objetivo',
    'ROAS objetivo',
    'CPC prom.',
    'Costo/conv.',
    'Porcentaje de conversión',
    'Porcentaje de conv.',
    'Valor/conv.',
    'Porcentaje de todas las conv.',
    'Porcentaje de impresiones de búsqueda',
    'Anuncios aptos',
    'Nivel del anuncio',
    'Calidad del anuncio',
    'Etiquetas',
  ],
  signatures: ['Código de moneda', 'Grupo de anuncios', 'ID del grupo de anuncios', 'Costo/conv.', 'Todas las conv.'],
};
