import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Korean UI. Sources: docs/header-evidence.md#meta-ko. */
export const META_KO: HeaderTable = {
  platform: 'meta',
  language: 'ko',
  sources: {
    map: 'docs/header-evidence.md#meta-ko: public code file 51863228369 (META_COLUMN_MAP of a Korean Meta export: 일, 캠페인 이름, 광고 세트 이름, 광고 이름, 지출 금액 (krw), 노출, 링크 클릭, 구매, 구매 전환값)',
    parser:
      'docs/header-evidence.md#meta-ko: public code file 53756923451 (Korean Meta export reader: 일, 보고 시작, 캠페인 이름, 광고 세트 이름, 광고 이름, 결과 유형, 지출 금액 (KRW), 노출, 링크 클릭, 클릭(전체))',
    keys: 'docs/header-evidence.md#meta-ko: public code file 55644555551 (META_KEYS: 광고 이름, 캠페인 이름, 노출, 클릭(전체), 지출 금액 (krw), 구매, 구매 전환값)',
    test: 'docs/header-evidence.md#meta-ko: public code file 70435749777 (test of a daily Korean Ads Manager CSV: 일, 캠페인 이름, 지출 금액 (KRW))',
  },
  fields: {
    date: ['일'], // 51863228369; 53756923451; 70435749777
    range_start: ['보고 시작'], // 53756923451
    campaign_name: ['캠페인 이름'], // all four
    ad_set_name: ['광고 세트 이름'], // 51863228369; 53756923451
    ad_name: ['광고 이름'], // 51863228369; 53756923451; 55644555551
    impressions: ['노출'], // 51863228369; 53756923451; 55644555551
    clicks: ['링크 클릭', '클릭(전체)'], // 51863228369, 53756923451; 53756923451, 55644555551
    conversions: ['구매'], // 51863228369; 55644555551
    conversion_value: ['구매 전환값'], // 51863228369; 55644555551
  },
  spendBases: ['지출 금액'], // all four, `지출 금액 (KRW)`
  ignored: ['결과 유형'],
  ignoredPrefixes: ['CPM', 'CPC', 'CTR', 'ROAS'],
  signatures: ['광고 세트 이름', '링크 클릭', '클릭(전체)', '보고 시작', '결과 유형'],
};
