import type { HeaderTable } from './types.ts';

/**
 * TikTok Ads Manager, Japanese UI: the columns of the real export jp-campaign-shiftjis.csv
 * (docs/header-evidence.md#real-tiktok; Shione4937/ads, tiktok.csv, 591cac419fef),
 * in the English UI's order (Campaign name, Primary status, Campaign budget, Cost, CPC (destination),
 * CPM, Impressions, Clicks (destination), CTR (destination), Conversions, …), the same order the
 * Korean real exports have. Full-width brackets (`CPC（誘導先）`) match after NFKC.
 */
export const TIKTOK_JA: HeaderTable = {
  platform: 'tiktok',
  language: 'ja',
  sources: {
    real: 'docs/header-evidence.md#real-tiktok: jp-campaign-shiftjis.csv, a Japanese TikTok campaign report published at Shione4937/ads, tiktok.csv (591cac419fef)',
  },
  fields: {
    campaign_name: ['キャンペーン名'],
    impressions: ['インプレッション'],
    clicks: ['クリック（誘導先）'],
    spend: ['コスト'],
    conversions: ['コンバージョン'],
    currency: ['通貨'],
  },
  ignored: [
    '一級ステータス',
    'キャンペーン予算',
    'CPM',
    'コンバージョン単価',
    'コンバージョン率（CVR）',
    '結果',
    '結果の単価',
    '結果率（％）',
    'ディープファネル結果',
    'ディープファネル結果ごとのコスト',
    'ディープファネル結果の割合',
    '目標ベースの予算増加',
  ],
  ignoredPrefixes: ['CPC', 'CTR'],
  signatures: ['クリック（誘導先）', 'CPC（誘導先）', 'CTR（誘導先）', '一級ステータス', 'ディープファネル結果'],
};
