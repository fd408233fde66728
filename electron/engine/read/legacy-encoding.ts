import { isAscii } from 'node:buffer';
import { analyse } from 'chardet';
import iconv from 'iconv-lite';
import { AppError } from '../../../shared/errors.ts';
import type { TextEncoding } from '../../../shared/report.ts';

/**
 * The code pages Excel's plain "CSV (Comma delimited)" writes (the computer's ANSI code page):
 * Western Europe and the Americas, Central Europe, Japan, Korea, China, Taiwan.
 */
export type LegacyEncoding = Extract<TextEncoding, 'windows-1252' | 'windows-1250' | 'shift_jis' | 'cp949' | 'gb18030' | 'big5'>;

/**
 * chardet's names → the code page we decode with. ISO-8859-1/-2 are read as their Windows
 * supersets (Excel writes the Windows code page; the two agree on every letter), EUC-KR as CP949
 * (Windows' Korean code page, a superset), Shift_JIS as CP932 and Big5 as CP950 (Windows' own
 * extensions of them).
 */
const FROM_CHARDET: Readonly<Record<string, LegacyEncoding>> = {
  'ISO-8859-1': 'windows-1252',
  'windows-1252': 'windows-1252',
  'ISO-8859-2': 'windows-1250',
  'windows-1250': 'windows-1250',
  Shift_JIS: 'shift_jis',
  'EUC-KR': 'cp949',
  GB18030: 'gb18030',
  Big5: 'big5',
};

/** The iconv-lite codec each encoding is decoded with. */
export const ICONV_CODEC: Readonly<Record<LegacyEncoding, string>> = {
  'windows-1252': 'windows1252',
  'windows-1250': 'windows1250',
  shift_jis: 'cp932',
  cp949: 'cp949',
  gb18030: 'gb18030',
  big5: 'cp950',
};

const LABEL: Readonly<Record<LegacyEncoding, string>> = {
  'windows-1252': 'Windows-1252 (Western European)',
  'windows-1250': 'Windows-1250 (Central European)',
  shift_jis: 'Shift_JIS (Japanese)',
  cp949: 'CP949 (Korean)',
  gb18030: 'GB18030 (Simplified Chinese)',
  big5: 'Big5 (Traditional Chinese)',
};

/**
 * chardet's confidence (0-100) below which a guess is not taken. Calibrated on our fixtures and the
 * real Shift_JIS TikTok export: multi-byte code pages score 48-100 on two lines (their byte pairs
 * are strong evidence); single-byte Latin ones score 30-45 on two or three lines and 44-80 on a page.
 * The lead below is what separates a clear case from a coin toss.
 */
const MIN_CONFIDENCE = 30;
/** How far ahead of any rival that would give other text the chosen encoding must be. */
const MIN_LEAD = 20;
/** chardet reads this much of a chunk; more adds time, not confidence. */
const SAMPLE_BYTES = 256 * 1024;

const RESAVE =
  'Save it again as UTF-8 (in Excel: File › Save As › "CSV UTF-8 (Comma delimited)"; in Numbers or ' +
  'LibreOffice: export as CSV with the character set "Unicode (UTF-8)"), or download it from the ad ' +
  'platform once more and drop the downloaded file unchanged.';

interface Candidate {
  name: string;
  encoding: LegacyEncoding | null;
  confidence: number;
  text: string;
}

/**
 * The legacy code page of bytes that are not UTF-8, when the evidence is clear: chardet's best
 * supported guess must be confident, decode every byte of the sample (no undefined byte, no broken
 * double-byte pair), and lead by `MIN_LEAD` every other guess that decodes the sample validly to
 * *different* text. (German text reads the same in Windows-1252 and Windows-1250, so there the two
 * are no rivals; `Otoño` and `Otońo` are.) A decoding that puts symbols inside words is no candidate
 * (see `plausible`). Otherwise ENCODING_ERROR naming the likely encodings.
 */
export function detectLegacyEncoding(bytes: Uint8Array, final: boolean): LegacyEncoding {
  const start = sampleStart(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const sample = Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(bytes.byteLength - start, SAMPLE_BYTES));
  const whole = final && start + sample.length === bytes.byteLength;
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const match of analyse(sample)) {
    const encoding = FROM_CHARDET[match.name] ?? null;
    const codec = encoding ? ICONV_CODEC[encoding] : match.name;
    if (seen.has(codec) || !iconv.encodingExists(codec) || /^(UTF|ASCII)/i.test(match.name)) continue;
    seen.add(codec);
    const text = decodeSample(sample, codec, whole);
    if (text !== null && plausible(text)) candidates.push({ name: match.name, encoding, confidence: match.confidence, text });
  }
  const best = candidates.find((c) => c.encoding !== null);
  if (best && best.confidence >= MIN_CONFIDENCE) {
    const rival = candidates.find((c) => c !== best && c.text !== best.text && c.confidence > best.confidence - MIN_LEAD);
    if (!rival) return best.encoding!;
  }
  throw unsure(candidates.filter((c) => c.confidence > 0).slice(0, 3));
}

/**
 * Where the sample starts: at the beginning, unless its first half is all ASCII (a file whose first
 * accented or Japanese row comes megabytes in, in the middle of a chunk); then at the line holding
 * the first byte above 0x7f, so the sample is the text that tells the code pages apart rather than
 * ASCII every one of them reads the same. Everything before that byte is ASCII, so this is between
 * characters in every code page.
 */
function sampleStart(bytes: Buffer): number {
  const half = SAMPLE_BYTES / 2;
  if (bytes.length <= half || !isAscii(bytes.subarray(0, half))) return 0;
  let i = half;
  const block = 4096;
  while (i < bytes.length && isAscii(bytes.subarray(i, i + block))) i += block;
  while (i < bytes.length && bytes[i]! < 0x80) i++;
  const lineStart = Math.max(bytes.lastIndexOf(0x0a, i), bytes.lastIndexOf(0x0d, i)) + 1;
  return Math.max(lineStart, i - half);
}

/** The sample decoded, or null when a byte is undefined in the code page or a pair is broken. */
function decodeSample(sample: Buffer, codec: string, whole: boolean): string | null {
  const decoder = iconv.getDecoder(codec);
  // Unless the sample is the whole file, its last character may be cut: the decoder keeps it back.
  const text = decoder.write(sample) + (whole ? (decoder.end() ?? '') : '');
  return text.includes('\ufffd') ? null : text;
}

/** Symbols and stray digits that in a wrong code page stand where letters were (`¿ó³te` for `żółte`). */
const SYMBOL = /[\p{S}\p{No}\p{Cc}]/u;
const LETTER = /\p{L}/u;
const NAME_SIGNS = new Set(['®', '™', '©', '°']);

/**
 * False when at least a quarter of the text's non-ASCII characters are symbols touching a letter:
 * Polish read as Windows-1252 gives `£ódŸ` and `Œwi¹teczna`; right text has letters there (a stray
 * `m²` among many accents is fine).
 */
function plausible(text: string): boolean {
  let nonAscii = 0;
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 0x80) continue;
    nonAscii++;
    const c = text[i]!;
    if (NAME_SIGNS.has(c) || !SYMBOL.test(c)) continue;
    if (LETTER.test(text[i - 1] ?? '') || LETTER.test(text[i + 1] ?? '')) odd++;
  }
  return odd === 0 || odd * 4 < nonAscii;
}

function unsure(likely: Candidate[]): AppError {
  const names = likely.map((c) => (c.encoding ? LABEL[c.encoding] : c.name));
  const guess =
    names.length === 0
      ? 'none of the code pages Excel writes (Windows-1252, Windows-1250, Shift_JIS, CP949, GB18030, Big5) reads it cleanly'
      : `it is most likely ${joinOr(names)}, but the text is too short or too mixed to tell for sure`;
  return new AppError('ENCODING_ERROR', `This file is not UTF-8 and metricdrop cannot tell its encoding: ${guess}. ${RESAVE}`);
}

function joinOr(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** A streaming decoder for the code page (`write` each chunk, `end` after the last). */
export function legacyDecoder(encoding: LegacyEncoding): ReturnType<typeof iconv.getDecoder> {
  return iconv.getDecoder(ICONV_CODEC[encoding]);
}

export { RESAVE as RESAVE_AS_UTF8 };
