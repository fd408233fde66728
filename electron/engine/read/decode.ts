import { isAscii, isUtf8 } from 'node:buffer';
import { AppError } from '../../../shared/errors.ts';
import type * as LegacyModule from './legacy-encoding.ts';
import type { LegacyEncoding } from './legacy-encoding.ts';

import type { TextEncoding } from '../../../shared/report.ts';

export type { LegacyEncoding } from './legacy-encoding.ts';
/** How a file's text was read (`shared/report.ts`); `xlsx` for a workbook, whose XML parts declare their own. */
export type { TextEncoding } from '../../../shared/report.ts';
/** The encodings `StreamDecoder` decodes. */
export type DecodableEncoding = Exclude<TextEncoding, 'xlsx'>;

/**
 * The legacy code pages' detector and decoders (`legacy-encoding.ts`, with chardet and iconv-lite:
 * half a megabyte of the command line's bundle). Imported only once a file turns out to need them
 * (`StreamDecoder#needsLegacyCodecs`): a UTF-8 or UTF-16 file never loads them.
 */
export type LegacyCodecs = typeof LegacyModule;

/** Imports the legacy codecs (their own chunk of the command line's bundle). */
export function importLegacyCodecs(): Promise<LegacyCodecs> {
  return import('./legacy-encoding.ts');
}

/** The encodings that are no legacy code page: every other one is decoded with the legacy codecs. */
const UNICODE_ENCODINGS: ReadonlySet<DecodableEncoding> = new Set<Exclude<DecodableEncoding, LegacyEncoding>>([
  'utf-8',
  'utf-8-bom',
  'utf-16le',
  'utf-16be',
]);

/** Bytes of the start looked at for UTF-16 without a byte-order mark. */
const UTF16_PROBE_BYTES = 4096;

/**
 * The encoding a file's first bytes announce: a byte-order mark; else UTF-16 without one when
 * the zero bytes say so; else UTF-8 (which `StreamDecoder` checks strictly, and which turns into
 * a legacy code page when the bytes are not UTF-8: see `StreamDecoder`).
 */
export function detectEncoding(head: Uint8Array): DecodableEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return utf16WithoutBom(head) ?? 'utf-8';
}

/**
 * UTF-16 without a byte-order mark (Excel's "Unicode Text" saved by some tools without one): a CSV
 * is mostly digits, delimiters and Latin letters, each a character whose high byte is zero, so in
 * UTF-16LE at least a third of the byte pairs are `xx 00` and none `00 xx` (BE the other way round).
 * No UTF-8 or legacy text has a zero byte at all, and binary files fail the strict decode after.
 */
function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(Math.min(head.length, UTF16_PROBE_BYTES) / 2);
  if (pairs < 2) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i < pairs; i++) {
    const a = head[2 * i]!;
    const b = head[2 * i + 1]!;
    if (a !== 0 && b === 0) le++;
    else if (a === 0 && b !== 0) be++;
  }
  if (le * 3 >= pairs && be === 0) return 'utf-16le';
  if (be * 3 >= pairs && le === 0) return 'utf-16be';
  return null;
}

/** True when the bytes start like a ZIP archive: an .xlsx workbook, or a .zip of exports. */
export function looksLikeZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** True for an OLE2 compound file: a legacy Excel workbook (.xls), which metricdrop does not read. */
export function looksLikeLegacyWorkbook(head: Uint8Array): boolean {
  const sig = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return sig.every((b, i) => head[i] === b);
}

/** A chunk's text, piece by piece: `next()` gives the next piece, or null after the last. */
export interface TextPieces {
  next(): string | null;
}

const NOT_TEXT =
  'This file is not text in UTF-8 or UTF-16. Export the report again as CSV (in Excel: Save As › ' +
  '"CSV UTF-8 (Comma delimited)"), or download it from the ad platform once more.';

/**
 * A streaming decoder for one file: feed byte chunks in order, get text back. Invalid byte
 * sequences and NUL characters (binary data) raise `ENCODING_ERROR`; the byte-order mark itself
 * is dropped.
 *
 * UTF-8 is checked with `buffer.isUtf8` (SIMD) and decoded with `Buffer#toString`, keeping an
 * incomplete trailing character for the next chunk; that is several times faster than a fatal
 * `TextDecoder`, which is used for UTF-16. A file begun as UTF-8 without a BOM whose bytes turn out
 * not to be UTF-8 while everything before was ASCII is in a legacy code page: the detector
 * (`detectLegacyEncoding`) names it from the offending chunk, or refuses when unsure, and the rest is
 * decoded with iconv-lite (every code page Excel writes is ASCII below 0x80, so the ASCII read so far
 * reads the same). `encoding` then changes.
 *
 * The detector and iconv-lite are not loaded with this module: a caller that may meet a legacy code
 * page asks `needsLegacyCodecs(bytes, final)` before each `decode`/`decodePieces` and, when true,
 * awaits `loadLegacyCodecs()` first (or passes the codecs to the constructor). Decoding bytes that
 * need them without them is a programming error (a plain `Error`, not `ENCODING_ERROR`).
 */
export class StreamDecoder {
  private utf16: InstanceType<typeof TextDecoder> | null;
  private codecs: LegacyCodecs | null;
  private legacy: ReturnType<LegacyCodecs['legacyDecoder']> | null = null;
  private carry: Buffer | null = null;
  private first = true;
  /** Until a byte above 0x7f is seen, a file begun as UTF-8 may still turn out to be a legacy code page. */
  private asciiSoFar = true;
  /** The last chunk `needsLegacyCodecs` found all ASCII (no carry): `decodePieces` of it need not scan it again. */
  private asciiChunk: Uint8Array | null = null;
  private current: DecodableEncoding;

  constructor(encoding: DecodableEncoding, codecs: LegacyCodecs | null = null) {
    this.current = encoding;
    this.codecs = codecs;
    this.utf16 = encoding === 'utf-16le' || encoding === 'utf-16be' ? new TextDecoder(encoding, { fatal: true, ignoreBOM: true }) : null;
    if (isLegacy(encoding) && codecs) this.legacy = codecs.legacyDecoder(encoding);
  }

  /**
   * True when decoding `bytes` next (with this `final`) needs the legacy codecs and they are not
   * loaded: the encoding is a legacy code page, or a file begun as UTF-8 has been ASCII so far and
   * these bytes (with a character cut off at the last chunk's end) are not UTF-8. Changes nothing; on
   * a UTF-8 or UTF-16 file it is false at once, or after one SIMD scan of a chunk while all was ASCII.
   */
  needsLegacyCodecs(bytes: Uint8Array, final: boolean): boolean {
    if (this.codecs) return false;
    if (isLegacy(this.current)) return true;
    if (this.current !== 'utf-8' || !this.asciiSoFar) return false;
    if (!this.carry && isAscii(bytes)) {
      this.asciiChunk = bytes;
      return false;
    }
    const buf = this.carry ? Buffer.concat([this.carry, bytes]) : toBuffer(bytes);
    const end = final ? buf.length : completeUtf8Length(buf);
    return !isUtf8(end === buf.length ? buf : buf.subarray(0, end));
  }

  /** Loads the legacy codecs for this decoder (see `needsLegacyCodecs`). */
  async loadLegacyCodecs(): Promise<void> {
    this.codecs ??= await importLegacyCodecs();
  }

  /** The encoding being read: `utf-8` may become a legacy code page once the bytes show it. */
  get encoding(): DecodableEncoding {
    return this.current;
  }

  decode(bytes: Uint8Array, final: boolean): string {
    const pieces = this.decodePieces(bytes, final, Number.POSITIVE_INFINITY);
    let text = '';
    for (let p = pieces.next(); p !== null; p = pieces.next()) text += p;
    return text;
  }

  /**
   * Like `decode`, but the text is handed out in pieces of at most `pieceBytes` bytes of UTF-8 each
   * (UTF-16 and legacy code pages: one piece), each decoded only when asked for. The whole of `bytes` is checked first, so
   * an encoding error is raised for the chunk exactly as `decode` raises it. Pieces of 64 KB stay
   * small strings V8 allocates cheaply, where one megabyte of text would be a large object mapped
   * afresh every time, and only the piece being parsed is alive. With `endAfter` (a byte: the line
   * ending's last), a piece ends just after the last such byte in it when it has one, so a parser
   * fed the pieces usually has no unfinished line to join with the next piece.
   */
  decodePieces(bytes: Uint8Array, final: boolean, pieceBytes: number, endAfter = -1): TextPieces {
    if (this.utf16) {
      const text = this.decodeUtf16(bytes, final);
      if (text.indexOf('\u0000') !== -1) throw nulError();
      return this.pieces(Buffer.alloc(0), [text], pieceBytes, -1);
    }
    if (isLegacy(this.current)) {
      this.legacy ??= this.loadedCodecs().legacyDecoder(this.current);
      return this.pieces(Buffer.alloc(0), [this.decodeLegacy(toBuffer(bytes), final)], pieceBytes, -1);
    }
    const checked = this.checkUtf8(bytes, final);
    if (checked.utf8) return this.pieces(checked.bytes, null, pieceBytes, endAfter);
    // Not UTF-8 after nothing but ASCII: a legacy code page, decoded from here on.
    const codecs = this.loadedCodecs();
    const encoding = codecs.detectLegacyEncoding(checked.bytes, final);
    this.current = encoding;
    this.legacy = codecs.legacyDecoder(encoding);
    return this.pieces(Buffer.alloc(0), [this.decodeLegacy(checked.bytes, final)], pieceBytes, -1);
  }

  private loadedCodecs(): LegacyCodecs {
    if (!this.codecs) {
      throw new Error('StreamDecoder: these bytes need the legacy codecs: await loadLegacyCodecs() when needsLegacyCodecs() says so');
    }
    return this.codecs;
  }

  private pieces(whole: Buffer, texts: string[] | null, pieceBytes: number, endAfter: number): TextPieces {
    let start = 0;
    let i = 0;
    return {
      next: (): string | null => {
        let text: string;
        if (texts !== null) {
          if (i >= texts.length) return null;
          text = texts[i++]!;
        } else {
          if (start >= whole.length) return null;
          let stop = Math.min(start + pieceBytes, whole.length);
          const lineEnd = stop < whole.length && endAfter >= 0 ? whole.lastIndexOf(endAfter, stop - 1) : -1;
          // After a line ending (an ASCII byte: always between characters), else before a character's
          // lead byte, never inside a character.
          if (lineEnd >= start) stop = lineEnd + 1;
          else while (stop < whole.length && stop > start + 1 && (whole[stop]! & 0xc0) === 0x80) stop--;
          text = whole.toString('utf8', start, stop);
          start = stop;
        }
        if (this.first && text.length > 0) {
          this.first = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        return text;
      },
    };
  }

  private decodeUtf16(bytes: Uint8Array, final: boolean): string {
    try {
      return this.utf16!.decode(bytes, { stream: !final });
    } catch {
      throw new AppError('ENCODING_ERROR', NOT_TEXT);
    }
  }

  /** A legacy code page has no U+FFFD of its own: one in the output is a byte the code page does not define. */
  private decodeLegacy(bytes: Buffer, final: boolean): string {
    const decoder = this.legacy!;
    const text = decoder.write(bytes) + (final ? (decoder.end() ?? '') : '');
    if (text.indexOf('\ufffd') !== -1) {
      throw new AppError(
        'ENCODING_ERROR',
        `This file began like ${this.current} text, but further on it has bytes that are not valid in that encoding, so it mixes encodings or is damaged. ${this.codecs!.RESAVE_AS_UTF8}`,
      );
    }
    if (text.indexOf('\u0000') !== -1) throw nulError();
    return text;
  }

  /**
   * The bytes of `bytes` (and the carry) that are whole characters, checked; keeps a cut-off
   * character for the next chunk. `utf8: false` with all the bytes (carry included) when they are not
   * UTF-8 but everything before was ASCII, so they may be a legacy code page.
   */
  private checkUtf8(bytes: Uint8Array, final: boolean): { utf8: boolean; bytes: Buffer } {
    const knownAscii = this.asciiChunk === bytes && this.carry === null;
    this.asciiChunk = null;
    let buf = toBuffer(bytes);
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = null;
    }
    const end = final ? buf.length : completeUtf8Length(buf);
    const whole = end === buf.length ? buf : buf.subarray(0, end);
    // ASCII is UTF-8: while a file is all ASCII, one scan of a chunk answers both (it was three).
    const ascii = knownAscii || (this.asciiSoFar && isAscii(whole));
    if (!ascii && !isUtf8(whole)) {
      if (this.current === 'utf-8' && this.asciiSoFar) return { utf8: false, bytes: buf };
      throw new AppError(
        'ENCODING_ERROR',
        `${NOT_TEXT} (Some bytes are not valid UTF-8; a file saved as "CSV (Comma delimited)" in Excel uses the computer's legacy code page.)`,
      );
    }
    if (end < buf.length) this.carry = Buffer.from(buf.subarray(end));
    if (!ascii) this.asciiSoFar = false;
    // In valid UTF-8 a zero byte is exactly a NUL character.
    if (whole.indexOf(0) !== -1) throw nulError();
    return { utf8: true, bytes: whole };
  }
}

function isLegacy(encoding: DecodableEncoding): encoding is LegacyEncoding {
  return !UNICODE_ENCODINGS.has(encoding);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function nulError(): AppError {
  return new AppError(
    'ENCODING_ERROR',
    'This file contains NUL bytes, so it is binary or UTF-16 without a byte-order mark. ' +
      'Export the report again as CSV and drop the downloaded file unchanged.',
  );
}

/** The length of `buf` without a multi-byte character cut off at its end. */
function completeUtf8Length(buf: Buffer): number {
  const n = buf.length;
  // Look back at most 3 bytes for the lead byte of the last character.
  for (let i = n - 1, back = 0; i >= 0 && back < 4; i--, back++) {
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + need <= n ? n : i;
  }
  return n;
}
