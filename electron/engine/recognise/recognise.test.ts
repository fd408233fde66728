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

const META_AD = [
  'Reporting starts',
  'Reporting ends',
  'Day',
  'Campaign name',
  'Campaign ID',
  'Ad set name',
  'Ad set ID',
  'Ad name',
  'Ad ID',
  'Amount spent (EUR)',
  'CPM (cost per 1,000 impressions) (EUR)',
  'Impressions',
  'Reach',
  'Link clicks',
  'Clicks (all)',
  'Purchases',
  'Results',
  'Result indicator',
];

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
    const r = ok(
      recogniseHeader(
        [
          '\uFEFFReporting Starts',
          'Reporting Ends',
          'Day',
          ' Campaign Name ',
          'Ad Set Name',
          'Amount Spent (USD)',
          'Impressions',
          'Clicks (All)',
        ],
        ctx,
      ),
    );
    expect(r).toMatchObject({ platform: 'meta', level: 'ad_set', headerCurrency: 'USD' });
    expect(r.columns.campaign_name?.header).toBe('Campaign Name');
    expect(r.matchByName).toEqual({ campaign: true, ad_set: true, ad: false });
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/no Campaign ID column, so campaigns are matched by name/),
      expect.stringMatching(/no Ad set ID column, so ad sets are matched by name/),
      expect.stringMatching(/no Purchases column/),
      expect.stringMatching(/no Purchases conversion value column/),
    ]);
  });

  it('Meta without Day but with the reporting range reads the date from the range', () => {
    const r = ok(
      recogniseHeader(['Reporting starts', 'Reporting ends', 'Campaign name', 'Amount spent (GBP)', 'Impressions', 'Link clicks'], ctx),
    );
    expect(r).toMatchObject({ level: 'campaign', dateFromRange: true });
  });

  it('Google: Impr., the preamble and UTF-16 point to Google; currency comes from the Currency code column', () => {
    const r = ok(
      recogniseHeader(
        [
          'Day',
          'Campaign',
          'Campaign ID',
          'Ad group',
          'Ad group ID',
          'Currency code',
          'Impr.',
          'Clicks',
          'CTR',
          'Cost',
          'Conversions',
          'Conv. value',
        ],
        { ...ctx, preamble: ['Ad group report', 'All time'] },
      ),
    );
    expect(r).toMatchObject({ platform: 'google', level: 'ad_set', headerCurrency: null });
    expect(r.columns.currency?.header).toBe('Currency code');
  });

  it('TikTok: By Day and Clicks (destination); purchases before the optimisation-event Conversions', () => {
    const r = ok(
      recogniseHeader(
        [
          'By Day',
          'Campaign name',
          'Campaign ID',
          'Ad group name',
          'Ad group ID',
          'Ad name',
          'Ad ID',
          'Cost',
          'Impressions',
          'Clicks (destination)',
          'Clicks (all)',
          'Conversions',
          'Complete payment',
          'Total complete payment value',
        ],
        ctx,
      ),
    );
    expect(r).toMatchObject({ platform: 'tiktok', level: 'ad' });
    expect(r.columns.clicks?.header).toBe('Clicks (destination)');
    expect(r.columns.conversions?.header).toBe('Complete payment');
    expect(r.columns.conversion_value?.header).toBe('Total complete payment value');
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
    expect(
      refused(recogniseHeader(['Campaign name', 'Ad set name', 'Amount spent (USD)', 'Impressions', 'Link clicks'], ctx)).message,
    ).toMatch(/Breakdown › By time › Day/);
    expect(
      refused(recogniseHeader(['Campaign', 'Impr.', 'Clicks', 'Cost'], { ...ctx, preamble: ['Campaign report', 'All time'] })).message,
    ).toMatch(/covers All time.*Segment › Time › Day/);
    expect(refused(recogniseHeader(['Month', 'Campaign', 'Impr.', 'Clicks', 'Cost'], ctx)).message).toMatch(/split by Month, not by day/);
    expect(
      refused(recogniseHeader(['Campaign name', 'Ad group name', 'Cost', 'Impressions', 'Clicks (destination)'], ctx)).message,
    ).toMatch(/By Day/);
  });

  it('segment columns (Age, Region, Placement) are candidates the rows decide, not a refusal by name', () => {
    const r = ok(recogniseHeader(['Day', 'Campaign', 'Region (User location)', 'Impr.', 'Clicks', 'Cost'], ctx));
    expect(r.segments).toEqual([{ index: 2, header: 'Region (User location)', kind: 'location' }]);
    expect(ok(recogniseHeader([...META_AD, 'Placement'], ctx)).segments.map((s) => s.kind)).toEqual(['delivery']);
  });

  it('a needed header written twice is read once if the copies agree (the rows decide); one no field needs is ignored', () => {
    const r = ok(
      recogniseHeader(['Day', 'Campaign name', 'Amount spent (USD)', 'Impressions', 'Link clicks', 'Link clicks', 'Reach', 'Reach'], ctx),
    );
    expect(r.columns.clicks).toEqual({ index: 4, header: 'Link clicks' });
    expect(r.duplicates).toEqual([{ field: 'clicks', header: 'Link clicks', indices: [4, 5] }]);
    expect(r.candidates.clicks).toEqual([
      { index: 4, header: 'Link clicks' },
      { index: 5, header: 'Link clicks' },
    ]);
  });

  it("TikTok's repeated Korean purchase header: the first copy is the count, the second the value, by position", () => {
    const r = ok(
      recogniseHeader(
        [
          '일별',
          '캠페인 이름',
          '비용',
          '노출수',
          '클릭수(목적지)',
          '전환수',
          '총 구매 수(모든 채널)',
          '구매당 금액(모든 채널)',
          '총 구매 수(모든 채널)',
        ],
        ctx,
      ),
    );
    expect(r).toMatchObject({ platform: 'tiktok', language: 'ko', level: 'campaign' });
    expect(r.columns.conversions).toEqual({ index: 6, header: '총 구매 수(모든 채널)' });
    expect(r.columns.conversion_value).toEqual({ index: 8, header: '총 구매 수(모든 채널)' });
    expect(r.duplicates).toEqual([]);
  });

  it('headers match after NFKC, case folding and whitespace collapsing (full-width brackets, ideographic spaces)', () => {
    // Every column is known (half-width `クリック(誘導先)` is the table's full-width name, `ＣＴＲ （誘導先）`
    // is `CTR(誘導先)`), so the only problem left is the one the real Japanese export has: no day column.
    const r = refused(
      recogniseHeader(
        [
          'キャンペーン名',
          'コスト',
          'インプレッション',
          'クリック(誘導先)',
          'CPC（誘導先）',
          'ＣＴＲ\u3000（誘導先）',
          'コンバージョン',
          '通貨',
          '一級ステータス',
        ],
        ctx,
      ),
    );
    expect(r.message).toMatch(/^This TikTok Ads Manager export has no By Day column, so its rows are totals/);
    expect(r.problems).toBeUndefined();
  });

  it('localised headers: only names with evidence map; German reads (with a decimal-comma hint), Spanish with an unknown column is refused naming it', () => {
    const de = ok(recogniseHeader(['Tag', 'Kampagnenname', 'Ausgegebener Betrag (EUR)', 'Impressionen', 'Link-Klicks'], ctx));
    expect(de).toMatchObject({ platform: 'meta', language: 'de', decimalHint: ',', headerCurrency: 'EUR' });
    const es = refused(recogniseHeader(['Día', 'Nombre de la campaña', 'Importe gastado (USD)', 'Impresiones', 'Compras'], ctx));
    expect(es.message).toMatch(/Spanish column names.*"Compras".*no Link clicks column.*English/);
  });

  it('a German file with a column the tables do not know is refused: it might be the conversions', () => {
    const r = refused(
      recogniseHeader(
        ['Tag', 'Kampagnenname', 'Ausgegebener Betrag (EUR)', 'Impressionen', 'Link-Klicks', 'Ergebnisse', 'Ergebnisindikator'],
        ctx,
      ),
    );
    expect(r.message).toMatch(/German.*does not know the columns "Ergebnisindikator"/);
  });

  it('every header problem at once, in the order a person fixes them: no per-day rows before missing metric columns', () => {
    const r = refused(
      recogniseHeader(['Campaign name', 'Ad set name', 'Reach', 'Impressions', 'Amount spent (ZAR)', 'Reporting starts'], ctx),
    );
    expect(r.code).toBe('MISSING_COLUMN');
    expect(r.message).toMatch(/^This Meta Ads Manager export has no Day column.*Also: \(2\) .*no Link clicks column/);
    expect(r.problems?.map((p) => p.code)).toEqual(['MISSING_COLUMN', 'MISSING_COLUMN']);
  });

  it('a daily file without any campaign column is account totals, not a missing Day column', () => {
    const r = refused(recogniseHeader(['Day', 'Impr.', 'Clicks', 'Cost', 'Conversions'], { ...ctx, preamble: ['Overview', 'All time'] }));
    expect(r.message).toMatch(/^This Google Ads export has no campaign column: its rows are account totals/);
  });

  it('French, Italian, Portuguese and Polish Meta exports map their evidenced names', () => {
    const fr = ok(
      recogniseHeader(['Jour', 'Nom de la campagne', 'Montant dépensé (EUR)', 'Impressions', 'Clics sur un lien', 'Couverture'], ctx),
    );
    expect(fr).toMatchObject({ platform: 'meta', language: 'fr', headerCurrency: 'EUR' });
    const it = ok(
      recogniseHeader(['Giorno', 'Nome della campagna', 'Importo speso (EUR)', 'Impression', 'Clic sul link', 'Copertura'], ctx),
    );
    expect(it).toMatchObject({ platform: 'meta', language: 'it', decimalHint: ',' });
    const pt = ok(recogniseHeader(['Dia', 'Nome da campanha', 'Valor usado (BRL)', 'Impressões', 'Cliques no link', 'Alcance'], ctx));
    expect(pt).toMatchObject({ platform: 'meta', language: 'pt', headerCurrency: 'BRL' });
    const pl = ok(recogniseHeader(['Dzień', 'Nazwa kampanii', 'Wydana kwota (PLN)', 'Wyświetlenia', 'Kliknięcia linku', 'Zasięg'], ctx));
    expect(pl).toMatchObject({ platform: 'meta', language: 'pl', headerCurrency: 'PLN' });
    // A name two languages share keeps English: an English file is not voted French.
    expect(ok(recogniseHeader(['Day', 'Campaign name', 'Amount spent (EUR)', 'Impressions', 'Link clicks'], ctx)).language).toBe('en');
  });

  it('one name, two platforms: Spanish, Portuguese and Korean files go to the platform whose own names they carry', () => {
    const es = ok(
      recogniseHeader(['Por día', 'Nombre de la campaña', 'Coste', 'Impresiones', 'Clics (destino)', 'Conversiones', 'Moneda'], ctx),
    );
    expect(es).toMatchObject({ platform: 'tiktok', language: 'es', level: 'campaign' });
    expect(es.columns.spend?.header).toBe('Coste');
    const metaEs = refused(
      recogniseHeader(
        ['Día', 'Nombre de la campaña', 'Nombre del anuncio', 'Importe gastado (MXN)', 'Impresiones', 'Clics en el enlace'],
        ctx,
      ),
    );
    expect(metaEs.message).toMatch(/Meta Ads Manager.*Nombre del conjunto de anuncios|no Ad set name/);
    const metaKo = ok(
      recogniseHeader(
        ['일', '캠페인 이름', '광고 세트 이름', '광고 이름', '지출 금액 (KRW)', '노출', '링크 클릭', '구매', '구매 전환값'],
        ctx,
      ),
    );
    expect(metaKo).toMatchObject({ platform: 'meta', language: 'ko', level: 'ad', headerCurrency: 'KRW' });
    const tiktokPt = refused(
      recogniseHeader(['Nome da campanha', 'Custo', 'Impressões', 'Cliques (Destino)', 'CPC (Destino)', 'Alcance'], ctx),
    );
    expect(tiktokPt.message).toMatch(/^This TikTok Ads Manager export has no By Day column/);
    const googleFr = ok(
      recogniseHeader(['Jour', 'Campagne', 'Impressions', 'Clics', 'Coût', 'Conversions', 'Valeur de conversion'], {
        ...ctx,
        preamble: ['Rapport sur les campagnes', '1 sept. 2025 - 2 sept. 2025'],
      }),
    );
    expect(googleFr).toMatchObject({ platform: 'google', level: 'campaign' });
  });

  it('database or API field names are not a platform export', () => {
    const r = refused(
      recogniseHeader(['ad_id', 'xyz_campaign_id', 'fb_campaign_id', 'age', 'gender', 'Impressions', 'Clicks', 'Spent'], ctx),
    );
    expect(r.message).toMatch(/^This is not a file downloaded from .*database or API field names/);
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
