import type { HeaderTable } from './types.ts';

/** Google Ads, English UI. The keys in the comments (G2, G6, G7, real: …) are sections of docs/header-evidence.md. */
export const GOOGLE_EN: HeaderTable = {
  platform: 'google',
  language: 'en',
  sources: {
    G2: 'docs/header-evidence.md#g2: a test script with the header of a real Google "Campaign report" (public code file 61054923454)',
    G6: 'docs/header-evidence.md#g6: GoogleAdsCsvHandler.php, the header of a daily report by ad (public code file 44614354595)',
    G7: 'docs/header-evidence.md#g7: a fixture of a placement report (public code file 66476352369)',
    real: 'docs/header-evidence.md#real-google: real Google Ads exports published in public repositories (campaign, search terms, keyword, location and asset reports; Overview cards)',
    other: 'docs/header-evidence.md#google-en and #unconfirmed: names seen only in parsers, and `Ad name`',
  },
  fields: {
    date: ['Day'], // G6, G7
    campaign_name: ['Campaign', 'Campaign Name'], // G2; real campaign reports; `Campaign Name`: the Campaigns Overview card in real: overview-cards-download.zip
    campaign_id: ['Campaign ID'], // G6, G7
    ad_set_name: ['Ad group'], // G6, G7; real search terms report
    ad_set_id: ['Ad group ID'], // G6
    ad_name: ['Ad name', 'Ad'], // `Ad name`: unconfirmed; `Ad` real: nl-adwords-2016-ad-report-utf16.csv
    ad_id: ['Ad ID'], // G6
    impressions: ['Impr.', 'Impressions'], // G2; `Impressions` real: overview cards, nl-adwords-2016 ad report
    clicks: ['Clicks', 'Interactions'], // G2; `Interactions` real: us-campaign-report-all-time.csv
    spend: ['Cost'], // G2
    conversions: ['Conversions', 'All conv.'], // G2; `All conv.` real: nl-adwords-2016 ad report
    conversion_value: ['Conv. value', 'All conv. value'], // real: uk-campaign-report-utf8.csv; `All conv. value`: parsers
    currency: ['Currency code', 'Currency'], // G2, G6
  },
  ignored: [
    'CTR',
    'Avg. CPC',
    'Cost / conv.',
    'Conv. rate',
    'Conv. value / cost',
    'Campaign status',
    'Status',
    'Budget',
    'Budget name',
    'Budget type',
    'Status reasons',
    'Optimization score',
    'Optimisation score',
    'Campaign type',
    'Bid strategy type',
    'Avg. target ROAS',
    'TrueView views',
    'TrueView avg. CPV',
    'Unique users',
    'Avg. CPM',
    'Avg. cost',
    'Interaction rate',
    'Account',
    'Customer ID',
    'Ad group status',
    'Ad group state',
    'Campaign state',
    'Search impr. share',
    'View-through conv.',
    'Cost / all conv.',
    'All conv. rate',
    // Overview cards (real: overview-card-*.csv, overview-cards-download.zip)
    'Percent of known total',
    'Search Keyword',
    'Match type',
    'Criterion Status',
    'Campaign Group Name',
    'Start Hour',
    'Top Containing Queries',
    'Search',
    'Word',
  ],
  ignoredPrefixes: ['Search ', 'Avg. ', 'Cost / ', 'Conv. rate'],
  signatures: [
    'Impr.',
    'Ad group',
    'Ad group ID',
    'Currency code',
    'Conv. value',
    'Avg. CPC',
    'Cost / conv.',
    'All conv.',
    'All conv. value',
    'Conv. rate',
    'Conv. value / cost',
    'Campaign status',
    'Optimization score',
    'Percent of known total',
    'Search Keyword',
    'Criterion Status',
    'Campaign Group Name',
    'Start Hour',
    'Top Containing Queries',
  ],
  otherTimeColumns: ['Week', 'Month', 'Quarter', 'Year', 'Day of the week', 'Hour of the day', 'Week (Mon - Sun)', 'Week (Sun - Sat)'],
};
