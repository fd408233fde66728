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

/** A chunk's text, piece by piece: `next()` gives the next piece, or null after the last. */
export interface TextPieces {
  next(): string | null;
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
  private readonly utf16: InstanceType<typeof TextDecoder> | null;
  private carry: Buffer | null = null;
  private first = true;

  constructor(readonly encoding: TextEncoding) {
    this.utf16 =
      encoding === 'utf-16le' || encoding === 'utf-16be' ? new TextDecoder(encoding, { fatal: true, ignoreBOM: true }) : null;
  }

  decode(bytes: Uint8Array, final: boolean): string {
    const pieces = this.decodePieces(bytes, final, Number.POSITIVE_INFINITY);
    let text = '';
    for (let p = pieces.next(); p !== null; p = pieces.next()) text += p;
    return text;
  }

  /**
   * Like `decode`, but the text is handed out in pieces of at most `pieceBytes` bytes of UTF-8 each
   * (UTF-16: one piece), each decoded only when asked for. The whole of `bytes` is checked first, so
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
    return this.pieces(this.checkUtf8(bytes, final), null, pieceBytes, endAfter);
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

  /** The bytes of `bytes` (and the carry) that are whole characters, checked; keeps a cut-off character for the next chunk. */
  private checkUtf8(bytes: Uint8Array, final: boolean): Buffer {
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
    return whole;
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
