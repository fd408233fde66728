import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, English UI. The keys in the comments (M1, M3, G2, real: …) are sections of docs/header-evidence.md. */
export const META_EN: HeaderTable = {
  platform: 'meta',
  language: 'en',
  sources: {
    M1: 'docs/header-evidence.md#m1: a test whose fixture is the header of a real ad-level Meta export (public code file 61867718306)',
    M3: 'docs/header-evidence.md#m3: a Meta import template with Reporting starts, Reporting ends and Day (public code file 69020514553)',
    G2: 'docs/header-evidence.md#g2: a test script that records what real Meta uploads looked like (public code file 61054923454)',
    real: 'docs/header-evidence.md#real-meta: real Meta exports published in public repositories (za-ads-reporting-*.csv/.xlsx, pl-ads-reporting-untitled-report-dup-adname.csv, mu-adsets-daily-age-gender.csv)',
    other: 'docs/header-evidence.md#meta-en and #unconfirmed: names seen only in parsers, `Currency` and `Outbound clicks`',
  },
  fields: {
    date: ['Day'], // M3, G2; real: za-ads-reporting-creative-age-gender-day.xlsx
    range_start: ['Reporting starts'], // M1; real files
    range_end: ['Reporting ends'],
    campaign_name: ['Campaign name'], // real: za-ads-reporting-adsets-summary-mixed.csv
    campaign_id: ['Campaign ID'], // real: za-ads-reporting-creative-age-gender-day.xlsx
    ad_set_name: ['Ad set name'], // M1; real
    ad_set_id: ['Ad set ID'], // real: za creative xlsx
    ad_name: ['Ad name'], // M1
    ad_id: ['Ad ID'], // M1
    impressions: ['Impressions'], // M1
    clicks: ['Link clicks', 'Clicks (all)', 'Outbound clicks'], // M1; Clicks (all): mu-adsets file; Outbound clicks: unconfirmed
    conversions: ['Purchases', 'Website purchases'], // M1; Website purchases: parsers
    conversion_value: ['Purchases conversion value', 'Website purchases conversion value'], // pl file
    results: ['Results'], // M1
    result_indicator: ['Result indicator'], // M1
    results_value: ['Results value'], // M1
    result_value_indicator: ['Result value indicator'], // M1
    currency: ['Currency'], // parsers only: unconfirmed
  },
  spendBases: ['Amount spent'], // M1 `Amount spent (EUR)`
  ignored: [
    'Reach',
    'Frequency',
    'Ad delivery',
    'Campaign delivery',
    'Ad set delivery',
    'Ad set budget',
    'Ad set budget type',
    'Starts',
    'Ends',
    'Attribution setting',
    'Adds to cart',
    'Objective',
    'Bid strategy',
    'Quality ranking',
    'Engagement rate ranking',
    'Conversion rate ranking',
    'Video plays at 50%',
    'Video plays at 25%',
    'Video plays at 75%',
    'Video plays at 100%',
    '3-second video plays',
    '3-second video plays rate per impressions',
    'Landing page views',
    'Unique link clicks',
    'CTR (all)',
    'Account name',
    'Account ID',
    'Delivery status',
    'Delivery level',
    'Result type', // real: za files
  ],
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'Cost per', 'Purchase ROAS', 'Website purchase ROAS', 'ROAS'],
  signatures: [
    'Reporting starts',
    'Reporting ends',
    'Result indicator',
    'Result value indicator',
    'Results value',
    'Ad set name',
    'Ad set ID',
    'Link clicks',
    'Purchases conversion value',
    'Website purchases',
  ],
  otherTimeColumns: ['Week', 'Month'],
};
