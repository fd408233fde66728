import type { HeaderTable } from './types.ts';

/** TikTok Ads Manager, English UI. Keys: ../shared/spec/platform-exports.md §Sources (T1, T3, T4, T7). */
export const TIKTOK_EN: HeaderTable = {
  platform: 'tiktok',
  language: 'en',
  sources: {
    T1: 'ads.tiktok.com/help/article?aid=10000166 (Basic metrics and definitions)',
    spec: '../shared/spec/platform-exports.md §3 and §6 (T3: public file id 59936999925; T4: 63199821226; T7: 62121332423 and others)',
    real: '../shared/real-exports/tiktok/kr-ad-report.xlsx (English `[SAN]` columns, `Date Created`)',
  },
  fields: {
    date: ['By Day', 'Date'], // T3, spec §3(c)2
    campaign_name: ['Campaign name'], // T4
    campaign_id: ['Campaign ID'], // spec §3(c)2
    ad_set_name: ['Ad group name', 'Adgroup name'], // T4; Adloop docs
    ad_set_id: ['Ad group ID', 'Adgroup ID'],
    ad_name: ['Ad name'], // T4
    ad_id: ['Ad ID'], // T3
    impressions: ['Impressions', 'Impression'], // T1
    clicks: ['Clicks (destination)', 'Clicks (all)', 'Clicks'], // T1
    // Purchases first, as for Meta: `Conversions` is the optimisation event, not always a purchase.
    conversions: ['Complete payment', 'Purchases (Shop)', 'Conversions'], // T7; T1
    conversion_value: [
      'Total complete payment value',
      'Complete payment value',
      'Purchase value',
      'Total purchase value',
      'Gross revenue (Shop)',
    ], // T7
    currency: ['Currency'],
  },
  spendBases: ['Cost', 'Total Cost', 'Spend'], // T1; spec §6 [P]
  ignored: [
    'Reach',
    'Frequency',
    'CTR (destination)',
    'CPC (destination)',
    'CPM',
    'Cost per conversion',
    'Conversion rate (CVR)',
    'Conversion rate (CVR, clicks)',
    'CVR (clicks)',
    'Real-time conversions',
    'Primary status',
    'CTR (all)',
    'CPC (all)',
    'Complete payment ROAS',
    'ROAS (Shop)',
    'Status',
    'Ad group budget',
    'Campaign budget',
    'Date Created',
    'Conversions [SAN]',
    'Cost per conversion [SAN]',
    'Conversion rate (CVR, clicks) [SAN]',
    'Conversion rate (CVR) [SAN]',
  ],
  ignoredPrefixes: ['Cost per ', 'CPC', 'CPM', 'CTR', 'CVR'],
  signatures: [
    'By Day',
    'Clicks (destination)',
    'CTR (destination)',
    'CPC (destination)',
    'Ad group name',
    'Adgroup name',
    'Adgroup ID',
    'Total complete payment value',
    'Complete payment',
    'Complete payment value',
    'Primary status',
    'Cost per conversion',
    'Conversion rate (CVR)',
  ],
  otherTimeColumns: ['By Week', 'By Month', 'By Hour'],
};
