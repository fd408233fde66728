import type { HeaderTable } from './types.ts';

/**
 * Meta Ads Manager, Japanese UI: every name below is a column of the real export
 * jp-ad-level-bom-summary-row.csv (docs/header-evidence.md#real-meta; ad level, no time breakdown).
 */
export const META_JA: HeaderTable = {
  platform: 'meta',
  language: 'ja',
  sources: {
    real: 'docs/header-evidence.md#real-meta: jp-ad-level-bom-summary-row.csv, a Japanese Meta ad-level export published at Shione4937/ads, meta.csv (591cac419fef)',
  },
  fields: {
    range_start: ['レポート開始日'],
    range_end: ['レポート終了日'],
    campaign_name: ['キャンペーン名'],
    ad_set_name: ['広告セット名'],
    ad_name: ['広告名'],
    impressions: ['インプレッション'],
    clicks: ['クリック(すべて)'],
    currency: ['通貨'],
  },
  spendBases: ['消化金額'], // `消化金額 (JPY)`
  ignored: ['アカウント名', '広告の配信', 'リーチ', '開始', '終了日時'],
  ignoredPrefixes: ['CPC'],
  signatures: ['レポート開始日', 'レポート終了日', '広告セット名', 'クリック(すべて)'],
};
