import type { HeaderTable } from './types.ts';

/**
 * TikTok Ads Manager, Korean UI. The real exports kr-*.xlsx (docs/header-evidence.md#real-tiktok;
 * taejunjeon/seo, data/ads_csv/tiktok/raw/, 0233ea4d402b) write the columns in the same order as the
 * English UI (Campaign name, Primary status, Campaign budget, Cost, CPC (destination), CPM,
 * Impressions, Clicks (destination), CTR (destination), Conversions, …), and T3
 * (docs/header-evidence.md#t3: a Korean agency script, public code file 59936999925) maps 일별, 비용,
 * 노출수, 클릭수(목적지), 전환수, 광고 이름, 광고 ID.
 */
export const TIKTOK_KO: HeaderTable = {
  platform: 'tiktok',
  language: 'ko',
  sources: {
    T3: 'docs/header-evidence.md#t3: a Korean agency script that reads TikTok exports (public code file 59936999925)',
    real: 'docs/header-evidence.md#real-tiktok: kr-ad-report.xlsx, kr-campaign-report-a1-dimension.xlsx and kr-campaign-report-dup-header.xlsx, published at taejunjeon/seo, data/ads_csv/tiktok/raw/ (0233ea4d402b)',
  },
  fields: {
    date: ['일별'], // T3
    campaign_name: ['캠페인 이름'], // real (all three files)
    campaign_id: ['캠페인 ID'], // real
    ad_set_name: ['광고 그룹 이름'], // real: kr-ad-report.xlsx
    ad_set_id: ['광고 그룹 ID'], // real: kr-ad-report.xlsx
    ad_name: ['광고 이름'], // T3; real: kr-ad-report.xlsx
    ad_id: ['광고 ID'], // T3; real: kr-ad-report.xlsx
    impressions: ['노출수'], // T3; real
    clicks: ['클릭수(목적지)'], // T3; real
    spend: ['비용'], // T3; real
    conversions: ['전환수'], // T3; real
    currency: ['통화'], // real (KRW)
  },
  ignored: [
    '기본 상태',
    '보조 상태',
    '캠페인 예산',
    'CPM',
    '전환당 비용',
    '전환율(CVR)',
    '결과',
    '결과당 비용',
    '결과율',
    '딥 퍼널 결과',
    '딥 퍼널 결과당 비용',
    '딥 퍼널 결과 비율',
    '결과(SKAN)',
    '결과당 비용(SKAN)',
    '결과율(SKAN)',
    '순 비용',
    '도달',
    '1,000명 도달당 비용',
    '전환 시간별 전환',
    '전환 시간별 전환당 비용',
    '전환 시간별 전환율(CVR)',
    '전환 시간별 결과',
    '전환 시간별 결과당 비용(CPR)',
    '전환 시간별 결과율',
    '목표 기반 예산 증액',
    '구매 ROAS(모든 채널)',
    '보조된 ROAS(샵)',
    '보조된 구매 ROAS(웹사이트)',
  ], // real files
  ignoredPrefixes: ['CPC', 'CTR'],
  signatures: ['클릭수(목적지)', 'CPC(목적지)', 'CTR(목적지)', '일별', '광고 그룹 이름', '딥 퍼널 결과'],
  repeated: [
    {
      // `총 구매 수(모든 채널)` ("total purchases, all channels") is written twice: the first copy is the
      // count, the second the purchase value (in both real files the second equals the count times the
      // column before it, `구매당 금액(모든 채널)`, value per purchase).
      header: '총 구매 수(모든 채널)',
      fields: ['conversions', 'conversion_value'],
      source: 'real: kr-campaign-report-dup-header.xlsx and kr-ad-report.xlsx',
    },
  ],
};
