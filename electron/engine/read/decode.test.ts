import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import { StreamDecoder, detectEncoding, looksLikeWorkbook } from './decode.ts';

const bytes = (...b: number[]) => new Uint8Array(b);

function decodeInPieces(decoder: StreamDecoder, data: Uint8Array, piece: number): string {
  let text = '';
  for (let i = 0; i < data.length; i += piece) text += decoder.decode(data.subarray(i, i + piece), false);
  return text + decoder.decode(new Uint8Array(0), true);
}

describe('detectEncoding', () => {
  it('reads the byte-order mark, else assumes UTF-8', () => {
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x41))).toBe('utf-8-bom');
    expect(detectEncoding(bytes(0xff, 0xfe, 0x41, 0))).toBe('utf-16le');
    expect(detectEncoding(bytes(0xfe, 0xff, 0, 0x41))).toBe('utf-16be');
    expect(detectEncoding(bytes(0x44, 0x61))).toBe('utf-8');
    expect(looksLikeWorkbook(bytes(0x50, 0x4b, 0x03, 0x04))).toBe(true);
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
    expect(() => new StreamDecoder('utf-8').decodePieces(Buffer.concat([good, Buffer.from([0xff]), good]), false, 16)).toThrowError(/not valid UTF-8/);
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
    expect(() => decodeInPieces(new StreamDecoder('utf-8'), cut, 2)).toThrowError(/not text in UTF-8/);
  });

  it('refuses NUL characters (UTF-16 without a BOM, binary files)', () => {
    const utf16NoBom = Buffer.from('Day\tCampaign\r\n', 'utf16le');
    expect(() => new StreamDecoder('utf-8').decode(utf16NoBom, true)).toThrowError(/NUL/);
  });

  it('refuses an unpaired UTF-16 surrogate', () => {
    const lone = Buffer.from([0xff, 0xfe, 0x3d, 0xd8, 0x41, 0x00]);
    expect(() => new StreamDecoder('utf-16le').decode(lone, true)).toThrowError(/not text/);
  });
});
