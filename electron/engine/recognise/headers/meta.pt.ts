import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Portuguese (Brazil) UI. Sources: docs/header-evidence.md#meta-pt and #m6. */
export const META_PT: HeaderTable = {
  platform: 'meta',
  language: 'pt',
  sources: {
    import:
      'docs/header-evidence.md#meta-pt: public code file 51910719156 ("exact column mapping of Meta Ads Manager": Início dos relatórios, Encerramento dos relatórios, Nome da campanha, Veiculação da campanha, Resultados, Alcance, Valor usado (BRL), Impressões, Cliques no link, Custo por resultados, Indicador de resultados)',
    rows: 'docs/header-evidence.md#meta-pt: public code file 24536189959 (row type of a Portuguese Meta CSV: Dia, Objetivo, Nome do anúncio, Alcance, Impressões, Valor usado (BRL), Cliques no link, Cliques (todos), …)',
    map: 'docs/header-evidence.md#meta-pt: public code file 40777364149 (column map: nome do conjunto de anúncios, valor usado (brl), dia, cliques no link)',
    roas: 'docs/header-evidence.md#meta-pt: public code file 53145335690 (reads Valor usado (BRL) and Valor de conversão da compra)',
    M6: 'docs/header-evidence.md#m6: public code file 56304138458 (one of the M6 parsers: nome do conjunto de anúncios, nome do anúncio, cliques (todos), impressões, dia)',
  },
  fields: {
    date: ['Dia'], // 24536189959; 40777364149; 56304138458
    range_start: ['Início dos relatórios'], // 51910719156
    range_end: ['Encerramento dos relatórios'], // 51910719156
    campaign_name: ['Nome da campanha'], // 51910719156; 56304138458
    ad_set_name: ['Nome do conjunto de anúncios'], // 40777364149; 56304138458
    ad_name: ['Nome do anúncio'], // 24536189959; 56304138458
    impressions: ['Impressões'], // 51910719156; 24536189959
    clicks: ['Cliques no link', 'Cliques (todos)'], // 51910719156; 24536189959
    conversion_value: ['Valor de conversão da compra'], // 53145335690
    results: ['Resultados'], // 51910719156
    result_indicator: ['Indicador de resultados'], // 51910719156
  },
  spendBases: ['Valor usado'], // 51910719156 `Valor usado (BRL)`; 24536189959
  ignored: [
    'Alcance',
    'Frequência',
    'Veiculação da campanha',
    'Objetivo',
    'Orçamento do conjunto de anúncios',
    'Visualizações da página de destino',
    'Leads',
  ],
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'Custo por', 'Taxa de', 'ROAS'],
  signatures: [
    'Início dos relatórios',
    'Encerramento dos relatórios',
    'Nome do conjunto de anúncios',
    'Cliques no link',
    'Indicador de resultados',
    'Veiculação da campanha',
    'Valor usado',
  ],
};
