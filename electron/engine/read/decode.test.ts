import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.ts';
import iconv from 'iconv-lite';
import { StreamDecoder, detectEncoding, importLegacyCodecs, looksLikeLegacyWorkbook, looksLikeZip } from './decode.ts';

/** The legacy code pages' detector and decoders, given to decoders that meet one (`readCsvRecords` loads them when needed). */
const codecs = await importLegacyCodecs();
const bytes = (...b: number[]) => new Uint8Array(b);

function decodeInPieces(decoder: StreamDecoder, data: Uint8Array, piece: number): string {
  let text = '';
  for (let i = 0; i < data.length; i += piece) text += decoder.decode(data.subarray(i, i + piece), false);
  return text + decoder.decode(new Uint8Array(0), true);
}

/**
 * Decodes as `readCsvRecords` does: chunk by chunk, loading the legacy codecs before the call that
 * needs them. `loadedAt`: the offset of the chunk they were loaded for (`data.length` for the final
 * flush), or null when never.
 */
async function decodeAsRead(decoder: StreamDecoder, data: Uint8Array, piece: number): Promise<{ text: string; loadedAt: number | null }> {
  let text = '';
  let loadedAt: number | null = null;
  const step = async (chunk: Uint8Array, at: number, final: boolean) => {
    if (decoder.needsLegacyCodecs(chunk, final)) {
      expect(loadedAt, 'the codecs are asked for once').toBeNull();
      loadedAt = at;
      await decoder.loadLegacyCodecs();
    }
    text += decoder.decode(chunk, final);
  };
  for (let i = 0; i < data.length; i += piece) await step(data.subarray(i, i + piece), i, false);
  await step(new Uint8Array(0), data.length, true);
  return { text, loadedAt };
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
      new StreamDecoder('utf-8', codecs).decodePieces(Buffer.concat([good, Buffer.from([0x81, 0x81, 0xff]), good]), false, 16),
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
    expect(() => decodeInPieces(new StreamDecoder('utf-8', codecs), latin1, 4)).toThrowError(AppError);
    try {
      new StreamDecoder('utf-8', codecs).decode(latin1, true);
    } catch (err) {
      expect((err as AppError).code).toBe('ENCODING_ERROR');
      expect((err as AppError).message).toMatch(/CSV UTF-8/);
    }
  });

  it('refuses a UTF-8 file cut inside a character at its very end', () => {
    const cut = Buffer.from('abc€').subarray(0, 5);
    expect(() => decodeInPieces(new StreamDecoder('utf-8-bom'), cut, 2)).toThrowError(/not text in UTF-8/);
    // Without a BOM, bytes that are not UTF-8 after plain ASCII might be a legacy code page: too little to tell.
    expect(() => decodeInPieces(new StreamDecoder('utf-8', codecs), cut, 2)).toThrowError(/cannot tell its encoding/);
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
    const decoder = new StreamDecoder('utf-8', codecs);
    expect(decodeInPieces(decoder, data, 1 << 20)).toBe(ascii + tail);
    expect(decoder.encoding).toBe('shift_jis');
  });

  it('refuses bytes that are not UTF-8 once UTF-8 text was read: the file mixes encodings', () => {
    const data = Buffer.concat([Buffer.from('Día,Clicks\n'), iconv.encode('Campaña,1\n', 'win1252')]);
    expect(() => decodeInPieces(new StreamDecoder('utf-8'), data, 12)).toThrowError(/not valid UTF-8/);
  });

  it('refuses a byte the detected code page does not define further on', () => {
    const head = iconv.encode('日付,キャンペーン名,費用（JPY）\n2025-09-01,秋のキャンペーン,100\n'.repeat(3), 'cp932');
    const decoder = new StreamDecoder('utf-8', codecs);
    expect(decoder.decode(head, false)).toContain('秋のキャンペーン');
    expect(() => decoder.decode(Buffer.from([0x41, 0x82, 0x20, 0x0a]), false)).toThrowError(/not valid in that encoding/);
  });

  it('checks a chunk found all ASCII as any other, asked for the codecs first as the reader does', async () => {
    // A NUL is ASCII: still refused.
    await expect(decodeAsRead(new StreamDecoder('utf-8'), Buffer.from('Day,Clicks\n2025-09-01,\u00001\n'), 8)).rejects.toThrowError(
      /NUL bytes/,
    );
    // After UTF-8 beyond ASCII, a byte that is not UTF-8 mixes encodings: refused, not read as a code page.
    const mixed = Buffer.concat([Buffer.from('Day,Clicks\n'), Buffer.from('Día,1\n'), iconv.encode('Campaña,2\n', 'win1252')]);
    await expect(decodeAsRead(new StreamDecoder('utf-8', codecs), mixed, 11)).rejects.toThrowError(/not valid UTF-8/);
    // A character cut between chunks after ASCII ones is carried over whole.
    const cut = Buffer.from('Day,Campaign\n2025-09-01,Campaña\n');
    const at = cut.indexOf(0xc3) + 1;
    const decoder = new StreamDecoder('utf-8');
    expect((await decodeAsRead(decoder, cut, at)).text).toBe('Day,Campaign\n2025-09-01,Campaña\n');
  });

  it('asks for the legacy codecs only for bytes that are not UTF-8 after nothing but ASCII', async () => {
    const ascii = Buffer.from('Day,Campaign\n2025-09-01,Brand\n');
    const utf8 = new StreamDecoder('utf-8');
    expect(utf8.needsLegacyCodecs(ascii, false)).toBe(false);
    expect(utf8.decode(ascii, false)).toBe(ascii.toString());
    const accented = Buffer.from('2025-09-02,Campaña\n');
    expect(utf8.needsLegacyCodecs(accented, false)).toBe(false);
    utf8.decode(accented, false);
    // After UTF-8 text, bytes that are not UTF-8 are a damaged file, not a code page: no codecs needed.
    const latin1 = Buffer.from('Otoño\n', 'latin1');
    expect(utf8.needsLegacyCodecs(latin1, true)).toBe(false);
    expect(() => utf8.decode(latin1, true)).toThrowError(/not valid UTF-8/);
    for (const [encoding, data] of [
      ['utf-8-bom', latin1],
      ['utf-16le', Buffer.from('Día', 'utf16le')],
    ] as const) {
      expect(new StreamDecoder(encoding).needsLegacyCodecs(data, true)).toBe(false);
    }

    const legacy = new StreamDecoder('utf-8');
    expect(legacy.needsLegacyCodecs(ascii, false)).toBe(false);
    legacy.decode(ascii, false);
    const spanish = Buffer.from('2025-09-02,Campaña de otoño,12.5\n2025-09-03,Promoción línea niños,3\n'.repeat(20), 'latin1');
    expect(legacy.needsLegacyCodecs(spanish, false)).toBe(true);
    // Asking is all: decoding them without loading the codecs is a mistake of the caller's.
    expect(legacy.needsLegacyCodecs(spanish, false)).toBe(true);
    let error: unknown;
    try {
      legacy.decode(spanish, false);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
    expect((error as Error).message).toMatch(/loadLegacyCodecs/);
    expect(legacy.encoding).toBe('utf-8');
    await legacy.loadLegacyCodecs();
    expect(legacy.needsLegacyCodecs(spanish, false)).toBe(false);
    expect(legacy.decode(spanish, true)).toBe(spanish.toString('latin1'));
    expect(legacy.encoding).toBe('windows-1252');
  });

  it('switches to a legacy code page in a later chunk, several megabytes of ASCII in, loading the codecs for that chunk', async () => {
    const ascii = 'Day,Campaign,Clicks\n' + '2025-09-01,Brand,10\n'.repeat(160_000);
    const tail = '2025-09-02,秋のキャンペーン（東京）,12\n2025-09-03,冬のキャンペーン（大阪）,7\n';
    const data = Buffer.concat([Buffer.from(ascii), iconv.encode(tail, 'cp932')]);
    const chunk = 1 << 20;
    expect(Math.floor(ascii.length / chunk)).toBe(3);
    const decoder = new StreamDecoder('utf-8');
    const { text, loadedAt } = await decodeAsRead(decoder, data, chunk);
    expect(text).toBe(ascii + tail);
    expect(decoder.encoding).toBe('shift_jis');
    expect(loadedAt).toBe(3 * chunk);
  });

  it('switches to a legacy code page at the very end: in the final call, or refuses at the final flush as before', async () => {
    const ascii = 'Day,Campaign,Clicks\n' + '2025-09-01,Brand,10\n'.repeat(100_000);
    const tail = '2025-09-02,秋のキャンペーン（東京）,12\n2025-09-03,冬のキャンペーン（大阪）,7\n';
    const decoder = new StreamDecoder('utf-8');
    const head = Buffer.from(ascii);
    for (let i = 0; i < head.length; i += 1 << 20) {
      expect(decoder.needsLegacyCodecs(head.subarray(i, i + (1 << 20)), false)).toBe(false);
      decoder.decode(head.subarray(i, i + (1 << 20)), false);
    }
    const last = iconv.encode(tail, 'cp932');
    expect(decoder.needsLegacyCodecs(last, true)).toBe(true);
    await decoder.loadLegacyCodecs();
    expect(decoder.decode(last, true)).toBe(tail);
    expect(decoder.encoding).toBe('shift_jis');

    // A file ending in what looks like a cut UTF-8 character: kept back until the final flush, where the
    // two bytes are all there is to tell the code page by.
    const cut = Buffer.concat([head, Buffer.from('2025-09-30,x'), Buffer.from([0xe3, 0x81])]);
    const atEnd = new StreamDecoder('utf-8');
    let error: unknown;
    try {
      await decodeAsRead(atEnd, cut, 1 << 20);
    } catch (err) {
      error = err;
    }
    expect((error as AppError).code).toBe('ENCODING_ERROR');
    expect((error as AppError).message).toMatch(
      /cannot tell its encoding: it is most likely Shift_JIS \(Japanese\) or GB18030 \(Simplified Chinese\)/,
    );
    const flushed = new StreamDecoder('utf-8');
    flushed.decode(cut, false);
    expect(flushed.needsLegacyCodecs(new Uint8Array(0), true)).toBe(true);
  });
});
