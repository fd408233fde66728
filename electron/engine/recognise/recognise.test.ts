import { describe, expect, it } from 'vitest';
import { knownHeaderCells, recogniseHeader, type RecogniseResult } from './recognise.ts';

const ctx = { preamble: [] as string[], encoding: 'utf-8' as const };
const ok = (r: RecogniseResult) => {
  if (!r.ok) throw new Error(`refused: ${r.refusal.code} ${r.refusal.message}`);
  return r.recognition;
};
const refused = (r: RecogniseResult) => {
  if (r.ok) throw new Error('recognised');
  return r.refusal;
};

const META_AD = ['Reporting starts', 'Reporting ends', 'Day', 'Campaign name', 'Campaign ID', 'Ad set name', 'Ad set ID', 'Ad name', 'Ad ID', 'Amount spent (EUR)', 'CPM (cost per 1,000 impressions) (EUR)', 'Impressions', 'Reach', 'Link clicks', 'Clicks (all)', 'Purchases', 'Results', 'Result indicator'];

describe('recogniseHeader: platform, level, currency', () => {
  it('Meta ad level: columns by header, Link clicks before Clicks (all), currency from Amount spent', () => {
    const r = ok(recogniseHeader(META_AD, ctx));
    expect(r).toMatchObject({ platform: 'meta', level: 'ad', language: 'en', headerCurrency: 'EUR', dateFromRange: false });
    expect(r.columns.clicks).toEqual({ index: 13, header: 'Link clicks' });
    expect(r.columns.spend).toEqual({ index: 9, header: 'Amount spent (EUR)' });
    expect(r.columns.conversions?.header).toBe('Purchases');
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/no Purchases conversion value column/)]);
  });

  it('compares headers case-insensitively (older Title Case exports) and ignores a BOM and spaces', () => {
    const r = ok(recogniseHeader(['\uFEFFReporting Starts', 'Reporting Ends', 'Day', ' Campaign Name ', 'Ad Set Name', 'Amount Spent (USD)', 'Impressions', 'Clicks (All)'], ctx));
    expect(r).toMatchObject({ platform: 'meta', level: 'ad_set', headerCurrency: 'USD' });
    expect(r.columns.campaignName?.header).toBe('Campaign Name');
    expect(r.matchByName).toEqual({ campaign: true, adSet: true, ad: false });
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/no Campaign ID column, so campaigns are matched by name/),
      expect.stringMatching(/no Ad set ID column, so ad sets are matched by name/),
      expect.stringMatching(/no Purchases column/),
      expect.stringMatching(/no Purchases conversion value column/),
    ]);
  });

  it('Meta without Day but with the reporting range reads the date from the range', () => {
    const r = ok(recogniseHeader(['Reporting starts', 'Reporting ends', 'Campaign name', 'Amount spent (GBP)', 'Impressions', 'Link clicks'], ctx));
    expect(r).toMatchObject({ level: 'campaign', dateFromRange: true });
  });

  it('Google: Impr., the preamble and UTF-16 point to Google; currency comes from the Currency code column', () => {
    const r = ok(recogniseHeader(['Day', 'Campaign', 'Campaign ID', 'Ad group', 'Ad group ID', 'Currency code', 'Impr.', 'Clicks', 'CTR', 'Cost', 'Conversions', 'Conv. value'], { ...ctx, preamble: ['Ad group report', 'All time'] }));
    expect(r).toMatchObject({ platform: 'google', level: 'ad_set', headerCurrency: null });
    expect(r.columns.currency?.header).toBe('Currency code');
  });

  it('TikTok: By Day and Clicks (destination); purchases before the optimisation-event Conversions', () => {
    const r = ok(recogniseHeader(['By Day', 'Campaign name', 'Campaign ID', 'Ad group name', 'Ad group ID', 'Ad name', 'Ad ID', 'Cost', 'Impressions', 'Clicks (destination)', 'Clicks (all)', 'Conversions', 'Complete payment', 'Total complete payment value'], ctx));
    expect(r).toMatchObject({ platform: 'tiktok', level: 'ad' });
    expect(r.columns.clicks?.header).toBe('Clicks (destination)');
    expect(r.columns.conversions?.header).toBe('Complete payment');
    expect(r.columns.conversionValue?.header).toBe('Total complete payment value');
  });

  it('never guesses: a header every platform could write is refused and asks for --platform', () => {
    const r = refused(recogniseHeader(['Day', 'Campaign', 'Clicks', 'Cost'], ctx));
    expect(r.code).toBe('UNKNOWN_FORMAT');
    expect(r.message).toMatch(/"Day", "Campaign", "Clicks", "Cost".*--platform/);
  });

  it('--platform decides a shared header', () => {
    const r = ok(recogniseHeader(['Day', 'Campaign', 'Impressions', 'Clicks', 'Cost'], { ...ctx, platform: 'google' }));
    expect(r).toMatchObject({ platform: 'google', level: 'campaign' });
  });

  it('a header of two platforms at once is refused as ambiguous', () => {
    const r = refused(recogniseHeader(['Day', 'Ad set name', 'Clicks (destination)', 'Campaign name', 'Impressions', 'Cost'], ctx));
    expect(r.message).toMatch(/more than one platform \(Meta Ads Manager and TikTok Ads Manager\)/);
  });
});

describe('recogniseHeader: refusals with a way forward', () => {
  it('one required column missing is MISSING_COLUMN naming it', () => {
    const r = refused(recogniseHeader(['Day', 'Campaign name', 'Amount spent (USD)', 'Link clicks', 'Reach'], ctx));
    expect(r).toEqual({ code: 'MISSING_COLUMN', message: expect.stringMatching(/no Impressions column/) });
  });

  it('several missing is UNKNOWN_FORMAT naming what was recognised and what is missing', () => {
    const r = refused(recogniseHeader(['Day', 'Campaign name', 'Reporting starts', 'Reach'], ctx));
    expect(r.code).toBe('UNKNOWN_FORMAT');
    expect(r.message).toMatch(/recognised: Day, Campaign name, Reporting starts.*lacks Impressions, Link clicks, Amount spent/);
  });

  it('no daily column: how to export by day, per platform', () => {
    expect(refused(recogniseHeader(['Campaign name', 'Ad set name', 'Amount spent (USD)', 'Impressions', 'Link clicks'], ctx)).message).toMatch(/Breakdown › By time › Day/);
    expect(refused(recogniseHeader(['Campaign', 'Impr.', 'Clicks', 'Cost'], { ...ctx, preamble: ['Campaign report', 'All time'] })).message).toMatch(/covers All time.*Segment › Time › Day/);
    expect(refused(recogniseHeader(['Month', 'Campaign', 'Impr.', 'Clicks', 'Cost'], ctx)).message).toMatch(/split by Month, not by day/);
    expect(refused(recogniseHeader(['Campaign name', 'Ad group name', 'Cost', 'Impressions', 'Clicks (destination)'], ctx)).message).toMatch(/By Day/);
  });

  it('breakdowns are SCHEMA_INCOMPLETE with how to re-export', () => {
    expect(refused(recogniseHeader(['Day', 'Campaign', 'Region (User location)', 'Impr.', 'Clicks', 'Cost'], ctx))).toMatchObject({ code: 'SCHEMA_INCOMPLETE', message: expect.stringMatching(/location breakdown.*Region \(User location\)/) });
    expect(refused(recogniseHeader([...META_AD, 'Placement'], ctx))).toMatchObject({ code: 'SCHEMA_INCOMPLETE', message: expect.stringMatching(/placement or device.*Breakdown/) });
    expect(refused(recogniseHeader(['일별', '나이', '비용', '노출수'], ctx)).code).toBe('SCHEMA_INCOMPLETE');
  });

  it('the same column twice is refused rather than picking one', () => {
    expect(refused(recogniseHeader(['Day', 'Campaign name', 'Amount spent (USD)', 'Impressions', 'Link clicks', 'Link clicks'], ctx)).message).toMatch(/"Link clicks" appears twice/);
  });

  it('localised headers: German maps (with a decimal-comma hint); Spanish names the language setting', () => {
    const de = ok(recogniseHeader(['Tag', 'Kampagnenname', 'Kampagnen-ID', 'Ausgegebener Betrag (EUR)', 'Impressionen', 'Link-Klicks', 'Käufe'], ctx));
    expect(de).toMatchObject({ platform: 'meta', language: 'de', decimalHint: ',', headerCurrency: 'EUR' });
    const es = refused(recogniseHeader(['Día', 'Nombre de la campaña', 'Importe gastado (USD)', 'Impresiones'], ctx));
    expect(es.message).toMatch(/Spanish column names.*cannot find Impressions, Link clicks.*English/);
  });

  it('a German file with a column the tables do not know is refused: it might be the conversions', () => {
    const r = refused(recogniseHeader(['Tag', 'Kampagnenname', 'Ausgegebener Betrag (EUR)', 'Impressionen', 'Link-Klicks', 'Ergebnisse'], ctx));
    expect(r.message).toMatch(/German.*does not know the columns Ergebnisse/);
  });
});

describe('knownHeaderCells', () => {
  it('counts cells any platform writes, to tell a header from a report title', () => {
    expect(knownHeaderCells(['Campaign report'])).toBe(0);
    expect(knownHeaderCells(['September 1, 2025 - September 30, 2025'])).toBe(0);
    expect(knownHeaderCells(['Day', 'Campaign', 'Impr.', 'Whatever'])).toBe(3);
    expect(knownHeaderCells(['Amount spent (EUR)', 'CPM (cost per 1,000 impressions) (EUR)'])).toBe(2);
  });
});
