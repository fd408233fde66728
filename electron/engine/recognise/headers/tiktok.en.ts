import type { HeaderTable } from './types.ts';

/** TikTok Ads Manager, English UI. The keys in the comments (T1, T3, T4, T7) are sections of docs/header-evidence.md. */
export const TIKTOK_EN: HeaderTable = {
  platform: 'tiktok',
  language: 'en',
  sources: {
    T1: 'docs/header-evidence.md#t1: TikTok Ads Manager help article "Basic metrics and definitions"',
    T3: 'docs/header-evidence.md#t3: a Korean agency script that reads TikTok exports (public code file 59936999925)',
    T4: 'docs/header-evidence.md#t4: a Streamlit application for Meta and TikTok exports (public code file 63199821226)',
    T7: 'docs/header-evidence.md#t7: parsers naming TikTok purchase and revenue columns (public code files 62121332423 and six more)',
    real: 'docs/header-evidence.md#real-tiktok: kr-ad-report.xlsx, published at taejunjeon/seo (English `[SAN]` columns, `Date Created`)',
    other: 'docs/header-evidence.md#tiktok-en and #unconfirmed: names seen in parsers and third-party tools, and `Currency`',
  },
  fields: {
    date: ['By Day', 'Date'], // T3; Date: parsers
    campaign_name: ['Campaign name'], // T4
    campaign_id: ['Campaign ID'], // parsers
    ad_set_name: ['Ad group name', 'Adgroup name'], // T4; Adgroup: Adloop's connector docs
    ad_set_id: ['Ad group ID', 'Adgroup ID'], // parsers; Adgroup: Adloop's connector docs
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
    currency: ['Currency'], // unconfirmed
  },
  spendBases: ['Cost', 'Total Cost', 'Spend'], // T1; third-party tools
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
