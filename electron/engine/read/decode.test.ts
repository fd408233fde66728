import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import iconv from 'iconv-lite';
import { StreamDecoder, detectEncoding, looksLikeLegacyWorkbook, looksLikeZip } from './decode.ts';

const bytes = (...b: number[]) => new Uint8Array(b);

function decodeInPieces(decoder: StreamDecoder, data: Uint8Array, piece: number): string {
  let text = '';
  for (let i = 0; i < data.length; i += piece) text += decoder.decode(data.subarray(i, i + piece), false);
  return text + decoder.decode(new Uint8Array(0), true);
}

describe('detectEncoding', () => {
  it('reads the byte-order mark, else UTF-16 by its zero bytes, else assumes UTF-8', () => {
    expect(detectEncoding(Buffer.from('Day\tCampaign\r\n2025-09-01\tBrand\r\n', 'utf16le'))).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('Day\tCampaign\r\n2025-09-01\tBrand\r\n', 'utf16le').swap16())).toBe('utf-16be');
    // A zero byte here and there is binary, not UTF-16.
    expect(detectEncoding(bytes(0x41, 0x42, 0x43, 0x00, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49))).toBe('utf-8');
    expect(looksLikeLegacyWorkbook(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0))).toBe(true);
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x41))).toBe('utf-8-bom');
    expect(detectEncoding(bytes(0xff, 0xfe, 0x41, 0))).toBe('utf-16le');
    expect(detectEncoding(bytes(0xfe, 0xff, 0, 0x41))).toBe('utf-16be');
    expect(detectEncoding(bytes(0x44, 0x61))).toBe('utf-8');
    expect(looksLikeZip(bytes(0x50, 0x4b, 0x03, 0x04))).toBe(true);
  });
});

describe('StreamDecoder', () => {
  const text = 'Día,Käufe,€,🌙,جمهور\r\n';

  it('decodes UTF-8 split anywhere, even inside a character, and drops the BOM once', () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text + '\uFEFFx')]);
    for (const piece of [1, 2, 3, 5, 64]) {
      expect(decodeInPieces(new StreamDecoder('utf-8-bom'), data, piece)).toBe(text + '\uFEFFx');
    }
  });

  it('decodes a chunk in pieces of at most the asked size, never cutting a character, the BOM dropped once', () => {
    const body = Buffer.from('Día,€,🌙,x\n'.repeat(500));
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
    const decoder = new StreamDecoder('utf-8-bom');
    const all = (pieces: { next(): string | null }) => {
      const out: string[] = [];
      for (let p = pieces.next(); p !== null; p = pieces.next()) out.push(p);
      return out;
    };
    const first = all(decoder.decodePieces(data.subarray(0, 2000), false, 100));
    const rest = all(decoder.decodePieces(data.subarray(2000), true, 100));
    expect([...first, ...rest].join('')).toBe(body.toString());
    for (const piece of [...first, ...rest]) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(100);
    expect(first.length).toBeGreaterThan(15);
  });

  it('checks the whole chunk before giving any piece back', () => {
    const good = Buffer.from('abc,def\n'.repeat(100));
    expect(() =>
      new StreamDecoder('utf-8').decodePieces(Buffer.concat([good, Buffer.from([0x81, 0x81, 0xff]), good]), false, 16),
    ).toThrowError(/not UTF-8/);
    expect(() => new StreamDecoder('utf-8-bom').decodePieces(Buffer.concat([good, Buffer.from([0xff]), good]), false, 16)).toThrowError(
      /not valid UTF-8/,
    );
    expect(() => new StreamDecoder('utf-8').decodePieces(Buffer.concat([good, Buffer.from([0]), good]), false, 16)).toThrowError(/NUL/);
  });

  it('decodes UTF-16LE and UTF-16BE with their BOM, split at odd bytes', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    for (const piece of [1, 3, 7]) {
      expect(decodeInPieces(new StreamDecoder('utf-16le'), le, piece)).toBe(text);
      expect(decodeInPieces(new StreamDecoder('utf-16be'), be, piece)).toBe(text);
    }
  });

  it('refuses invalid UTF-8 (a Windows-1252 file) with ENCODING_ERROR', () => {
    const latin1 = Buffer.from('Campaña,Otoño\n', 'latin1');
    expect(() => decodeInPieces(new StreamDecoder('utf-8'), latin1, 4)).toThrowError(AppError);
    try {
      new StreamDecoder('utf-8').decode(latin1, true);
    } catch (err) {
      expect((err as AppError).code).toBe('ENCODING_ERROR');
      expect((err as AppError).message).toMatch(/CSV UTF-8/);
    }
  });

  it('refuses a UTF-8 file cut inside a character at its very end', () => {
    const cut = Buffer.from('abc€').subarray(0, 5);
    expect(() => decodeInPieces(new StreamDecoder('utf-8-bom'), cut, 2)).toThrowError(/not text in UTF-8/);
    // Without a BOM, bytes that are not UTF-8 after plain ASCII might be a legacy code page: too little to tell.
    expect(() => decodeInPieces(new StreamDecoder('utf-8'), cut, 2)).toThrowError(/cannot tell its encoding/);
  });

  it('refuses NUL characters (UTF-16 without a BOM, binary files)', () => {
    const utf16NoBom = Buffer.from('Day\tCampaign\r\n', 'utf16le');
    expect(() => new StreamDecoder('utf-8').decode(utf16NoBom, true)).toThrowError(/NUL/);
  });

  it('refuses an unpaired UTF-16 surrogate', () => {
    const lone = Buffer.from([0xff, 0xfe, 0x3d, 0xd8, 0x41, 0x00]);
    expect(() => new StreamDecoder('utf-16le').decode(lone, true)).toThrowError(/not text/);
  });

  it('reads a legacy code page once the bytes are not UTF-8 after plain ASCII, even a megabyte in', () => {
    const ascii = 'Day,Campaign,Clicks\n' + '2025-09-01,Brand,10\n'.repeat(60_000);
    const tail = '2025-09-02,秋のキャンペーン（東京）,12\n2025-09-03,冬のキャンペーン（大阪）,7\n';
    const data = Buffer.concat([Buffer.from(ascii), iconv.encode(tail, 'cp932')]);
    expect(data.length).toBeGreaterThan(1 << 20);
    const decoder = new StreamDecoder('utf-8');
    expect(decodeInPieces(decoder, data, 1 << 20)).toBe(ascii + tail);
    expect(decoder.encoding).toBe('shift_jis');
  });

  it('refuses bytes that are not UTF-8 once UTF-8 text was read: the file mixes encodings', () => {
    const data = Buffer.concat([Buffer.from('Día,Clicks\n'), iconv.encode('Campaña,1\n', 'win1252')]);
    expect(() => decodeInPieces(new StreamDecoder('utf-8'), data, 12)).toThrowError(/not valid UTF-8/);
  });

  it('refuses a byte the detected code page does not define further on', () => {
    const head = iconv.encode('日付,キャンペーン名,費用（JPY）\n2025-09-01,秋のキャンペーン,100\n'.repeat(3), 'cp932');
    const decoder = new StreamDecoder('utf-8');
    expect(decoder.decode(head, false)).toContain('秋のキャンペーン');
    expect(() => decoder.decode(Buffer.from([0x41, 0x82, 0x20, 0x0a]), false)).toThrowError(/not valid in that encoding/);
  });
});
