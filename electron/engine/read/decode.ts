import { isUtf8 } from 'node:buffer';
import { AppError } from '../../../shared/errors.ts';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** The encoding a file's first bytes announce: a byte-order mark, else UTF-8. */
export function detectEncoding(head: Uint8Array): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return 'utf-8';
}

/** True when the bytes start like a ZIP archive, which is what an .xlsx workbook is. */
export function looksLikeWorkbook(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

const NOT_TEXT =
  'This file is not text in UTF-8 or UTF-16. Export the report again as CSV (in Excel: Save As › ' +
  '"CSV UTF-8 (Comma delimited)"), or download it from the ad platform once more.';

/**
 * A streaming decoder for one file: feed byte chunks in order, get text back. Invalid byte
 * sequences and NUL characters (binary data, or UTF-16 without a byte-order mark) raise
 * `ENCODING_ERROR`; the byte-order mark itself is dropped.
 *
 * UTF-8 is checked with `buffer.isUtf8` (SIMD) and decoded with `Buffer#toString`, keeping an
 * incomplete trailing character for the next chunk; that is several times faster than a fatal
 * `TextDecoder`, which is used for UTF-16.
 */
export class StreamDecoder {
  private readonly utf16: TextDecoder | null;
  private carry: Buffer | null = null;
  private first = true;

  constructor(readonly encoding: TextEncoding) {
    this.utf16 =
      encoding === 'utf-16le' || encoding === 'utf-16be' ? new TextDecoder(encoding, { fatal: true, ignoreBOM: true }) : null;
  }

  decode(bytes: Uint8Array, final: boolean): string {
    const pieces = this.decodePieces(bytes, final, Number.POSITIVE_INFINITY);
    return pieces.length === 1 ? pieces[0]! : pieces.join('');
  }

  /**
   * Like `decode`, but the text comes back in pieces of at most `pieceBytes` bytes of UTF-8 each (UTF-16:
   * one piece). The whole of `bytes` is checked before any text is returned, so an encoding error is
   * raised for the chunk exactly as `decode` raises it. Pieces of 64 KB stay small strings V8 allocates
   * cheaply, where one megabyte of text would be a large object, mapped afresh every time.
   */
  decodePieces(bytes: Uint8Array, final: boolean, pieceBytes: number): string[] {
    let pieces: string[];
    if (this.utf16) {
      const text = this.decodeUtf16(bytes, final);
      if (text.indexOf('\u0000') !== -1) throw nulError();
      pieces = [text];
    } else {
      pieces = this.decodeUtf8(bytes, final, pieceBytes);
    }
    if (this.first) {
      const i = pieces.findIndex((p) => p.length > 0);
      if (i !== -1) {
        this.first = false;
        if (pieces[i]!.charCodeAt(0) === 0xfeff) pieces[i] = pieces[i]!.slice(1);
      }
    }
    return pieces;
  }

  private decodeUtf16(bytes: Uint8Array, final: boolean): string {
    try {
      return this.utf16!.decode(bytes, { stream: !final });
    } catch {
      throw new AppError('ENCODING_ERROR', NOT_TEXT);
    }
  }

  private decodeUtf8(bytes: Uint8Array, final: boolean, pieceBytes: number): string[] {
    let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.carry) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = null;
    }
    const end = final ? buf.length : completeUtf8Length(buf);
    if (end < buf.length) this.carry = Buffer.from(buf.subarray(end));
    const whole = end === buf.length ? buf : buf.subarray(0, end);
    if (!isUtf8(whole)) {
      throw new AppError(
        'ENCODING_ERROR',
        `${NOT_TEXT} (Some bytes are not valid UTF-8; a file saved as "CSV (Comma delimited)" in Excel uses the computer's legacy code page.)`,
      );
    }
    // In valid UTF-8 a zero byte is exactly a NUL character.
    if (whole.indexOf(0) !== -1) throw nulError();
    if (whole.length <= pieceBytes) return [whole.toString('utf8')];
    const pieces: string[] = [];
    for (let start = 0; start < whole.length; ) {
      let stop = Math.min(start + pieceBytes, whole.length);
      // Cut before a character's lead byte, never inside a character.
      while (stop < whole.length && stop > start + 1 && (whole[stop]! & 0xc0) === 0x80) stop--;
      pieces.push(whole.toString('utf8', start, stop));
      start = stop;
    }
    return pieces;
  }
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
