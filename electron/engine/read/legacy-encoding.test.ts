import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { detectLegacyEncoding } from './legacy-encoding.ts';

// Short exports in the shapes Excel's plain "CSV" writes on each locale's Windows (made-up rows).
const JAPANESE = '日付,キャンペーン名,費用（JPY）,インプレッション数\r\n2025-09-01,秋のキャンペーン,100,2000\r\n';
const KOREAN = '날짜,캠페인 이름,비용(KRW),노출수\r\n2025-09-01,가을 캠페인,100,2000\r\n';
const SIMPLIFIED = '日期,广告系列名称,花费(CNY),展示次数\r\n2025-09-01,秋季广告系列,100,2000\r\n';
const TRADITIONAL = '日期,廣告活動名稱,花費(TWD),曝光次數\r\n2025-09-01,秋季廣告活動,100,2000\r\n';
const POLISH =
  'Dzień,Nazwa kampanii,Wydana kwota (PLN)\r\n2025-09-01,Kampania jesień Łódź Gdańsk żółć,12.5\r\n2025-09-02,Świętokrzyskie,3\r\n';
const SPANISH =
  '"Inicio del informe","Fin del informe",Día,"Nombre de la campaña","Nombre del conjunto de anuncios","Importe gastado (EUR)",Impresiones\r\n' +
  '2025-09-01,2025-09-30,2025-09-01,Campaña de otoño,Público de España,88.12,10440\r\n' +
  '2025-09-02,2025-09-30,2025-09-02,Promoción línea niños,Intereses señalización,12.50,3120\r\n';
const GERMAN =
  'Tag,Kampagnenname,Ausgegebener Betrag (EUR),Impressionen\r\n2025-09-01,Herbstkampagne Größen für Mädchen,12.5,1000\r\n2025-09-02,Übergangsjacken Süß,3,200\r\n';

describe('detectLegacyEncoding', () => {
  it.each([
    ['Shift_JIS', JAPANESE, 'cp932', 'shift_jis'],
    ['CP949', KOREAN, 'cp949', 'cp949'],
    ['GB18030', SIMPLIFIED, 'gb18030', 'gb18030'],
    ['Big5', TRADITIONAL, 'cp950', 'big5'],
    ['Windows-1250', POLISH, 'win1250', 'windows-1250'],
    ['Windows-1252 (Spanish)', SPANISH, 'win1252', 'windows-1252'],
    // German letters are the same bytes in Windows-1252 and -1250: the two are no rivals.
    ['Windows-1252 (German)', GERMAN, 'win1252', 'windows-1252'],
  ])('names %s when the evidence is clear', (_name, text, codec, expected) => {
    const bytes = iconv.encode(text, codec);
    expect(detectLegacyEncoding(bytes, true)).toBe(expected);
    expect(iconv.decode(bytes, codec)).toBe(text);
  });

  it('refuses a short Latin text whose accents read as other letters in another code page, naming the likely ones', () => {
    // "Campaña Otoño" in Windows-1252 is "Campańa Otońo" in Windows-1250: too little text to tell.
    const bytes = iconv.encode('Day,Campaign name,Spent\r\n2025-09-01,Campaña Otoño,12.5\r\n', 'win1252');
    let error: unknown;
    try {
      detectLegacyEncoding(bytes, true);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('ENCODING_ERROR');
    expect((error as AppError).message).toMatch(/most likely .*Windows-1252 \(Western European\)/);
    expect((error as AppError).message).toMatch(/Windows-1250/);
    expect((error as AppError).message).toMatch(/CSV UTF-8/);
  });

  it('refuses bytes no code page Excel writes reads cleanly', () => {
    // 0x81 is undefined in Windows-1252/1250, and the pairs are broken in the double-byte code pages.
    const bytes = Buffer.from([0x41, 0x2c, 0x81, 0x81, 0x81, 0xff, 0x0a]);
    expect(() => detectLegacyEncoding(bytes, true)).toThrowError(/cannot tell its encoding/);
  });

  it.each([
    ['Windows-1250', POLISH, 'win1250', 'windows-1250'],
    ['Shift_JIS', JAPANESE, 'cp932', 'shift_jis'],
  ])(
    'names %s the same when its text comes after more ASCII than is sampled (a chunk well into a long file)',
    (_name, text, codec, expected) => {
      const ascii = Buffer.from('2025-09-01,Brand,10\r\n'.repeat(20_000));
      expect(ascii.length).toBeGreaterThan(256 * 1024);
      expect(detectLegacyEncoding(Buffer.concat([ascii, iconv.encode(text, codec)]), false)).toBe(expected);
    },
  );
});
