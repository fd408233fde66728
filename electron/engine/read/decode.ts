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
 */
export class StreamDecoder {
  private readonly decoder: TextDecoder;
  private first = true;

  constructor(readonly encoding: TextEncoding) {
    const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
    // ignoreBOM: keep the mark in the text so it is stripped exactly once, below.
    this.decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  }

  decode(bytes: Uint8Array, final: boolean): string {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !final });
    } catch {
      throw new AppError('ENCODING_ERROR', this.failure());
    }
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (text.indexOf('\u0000') !== -1) {
      throw new AppError(
        'ENCODING_ERROR',
        'This file contains NUL bytes, so it is binary or UTF-16 without a byte-order mark. ' +
          'Export the report again as CSV and drop the downloaded file unchanged.',
      );
    }
    return text;
  }

  private failure(): string {
    return this.encoding === 'utf-8'
      ? `${NOT_TEXT} (Some bytes are not valid UTF-8; a file saved as "CSV (Comma delimited)" in Excel uses the computer's legacy code page.)`
      : NOT_TEXT;
  }
}
