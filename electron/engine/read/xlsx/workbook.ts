import { posix } from 'node:path';
import { AppError } from '../../../../shared/errors.ts';
import { openZip, type ZipArchive, type ZipEntry } from '../zip.ts';
import { builtInKind, customKind, unescapeOoxml, type NumberKind } from './cells.ts';
import { attr, parseXml } from './xml.ts';

export interface SheetRef {
  name: string;
  /** The sheet's part in the package, e.g. `xl/worksheets/sheet1.xml`. */
  part: string;
  hidden: boolean;
}

/** What every sheet's cells are read with: the strings they share, and what each style makes of a number. */
export interface CellContext {
  sharedStrings: readonly string[];
  /** Per cell style (`s` attribute): the kind of its number format. */
  styleKinds: readonly NumberKind[];
  date1904: boolean;
}

export interface Workbook {
  zip: ZipArchive;
  sheets: SheetRef[];
  /** Loaded on first use and kept: the shared strings must be in memory (cells refer to them by index). */
  cells(): Promise<CellContext>;
  close(): void;
}

/**
 * Inflated sizes allowed for a workbook's parts. The sheet is streamed and may be large (a 50 MB
 * workbook holds about half a gigabyte of sheet XML); the shared strings are held in memory, and
 * the other parts are a few kilobytes in any real file.
 */
export const PART_LIMITS = { sheet: 2 * 1024 ** 3, sharedStrings: 256 * 1024 ** 2, small: 16 * 1024 ** 2 } as const;

const OFFICE_DOCUMENT = /\/officeDocument$/;
const WORKSHEET = /\/worksheet$/;
const SHARED_STRINGS = /\/sharedStrings$/;
const STYLES = /\/styles$/;

/** Whether a ZIP archive is a spreadsheet (as opposed to a .zip of exports). */
export function isWorkbookArchive(zip: ZipArchive): boolean {
  return (
    zip.find('xl/workbook.xml') !== null || (zip.find('[Content_Types].xml') !== null && zip.entries.some((e) => /^xl\//i.test(e.name)))
  );
}

export function partTooLarge(part: string, limit: number): () => AppError {
  return () =>
    new AppError(
      'FILE_TOO_LARGE',
      `This workbook's ${part} unpacks to more than ${Math.round(limit / 1024 ** 2).toLocaleString('en-US')} MB, more than any real export of 100,000 rows. Export a shorter date range, or save the sheet as "CSV UTF-8".`,
    );
}

/** Opens an .xlsx: its sheets in workbook order, and lazily the shared strings and styles. */
export async function openWorkbook(path: string): Promise<Workbook> {
  const zip = await openZip(path);
  try {
    const workbookPart = (await officeDocument(zip)) ?? 'xl/workbook.xml';
    const workbook = zip.find(workbookPart);
    if (!workbook) throw notAWorkbook();
    const { sheets: declared, date1904 } = await readWorkbookPart(zip, workbook);
    const rels = await readRels(zip, relsPartOf(workbookPart), workbookPart);
    const sheets: SheetRef[] = [];
    for (const s of declared) {
      const rel = rels.find((r) => r.id === s.relId);
      if (rel && WORKSHEET.test(rel.type) && zip.find(rel.target)) sheets.push({ name: s.name, part: rel.target, hidden: s.hidden });
    }
    if (sheets.length === 0) throw notAWorkbook();
    let cells: Promise<CellContext> | null = null;
    return {
      zip,
      sheets,
      cells: () =>
        (cells ??= (async () => {
          const strings = rels.find((r) => SHARED_STRINGS.test(r.type))?.target ?? 'xl/sharedStrings.xml';
          const styles = rels.find((r) => STYLES.test(r.type))?.target ?? 'xl/styles.xml';
          return { sharedStrings: await readSharedStrings(zip, strings), styleKinds: await readStyles(zip, styles), date1904 };
        })()),
      close: () => zip.close(),
    };
  } catch (err) {
    zip.close();
    throw err;
  }
}

function notAWorkbook(): AppError {
  return new AppError(
    'UNKNOWN_FORMAT',
    'This ZIP file is not an Excel workbook metricdrop can read: it has no worksheet. Download the report again as .xlsx or CSV.',
  );
}

async function officeDocument(zip: ZipArchive): Promise<string | null> {
  const rels = await readRels(zip, '_rels/.rels', '');
  return rels.find((r) => OFFICE_DOCUMENT.test(r.type))?.target ?? null;
}

function relsPartOf(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

interface Rel {
  id: string;
  type: string;
  /** The target resolved to a part name (`xl/worksheets/sheet1.xml`). */
  target: string;
}

/** A part's relationships; targets are relative to the part's folder unless absolute (`/xl/…`, as TikTok writes). */
async function readRels(zip: ZipArchive, relsPart: string, sourcePart: string): Promise<Rel[]> {
  const entry = zip.find(relsPart);
  if (!entry) return [];
  const rels: Rel[] = [];
  const base = posix.dirname(sourcePart);
  await parseXml(await open(zip, entry, 'small'), relsPart, {
    open(name, a) {
      if (name !== 'Relationship' || a.TargetMode === 'External') return;
      const target = a.Target ?? '';
      const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(base === '.' ? '' : base, target));
      rels.push({ id: a.Id ?? '', type: a.Type ?? '', target: resolved });
    },
    close() {},
  });
  return rels;
}

async function readWorkbookPart(
  zip: ZipArchive,
  entry: ZipEntry,
): Promise<{ sheets: { name: string; relId: string; hidden: boolean }[]; date1904: boolean }> {
  const sheets: { name: string; relId: string; hidden: boolean }[] = [];
  let date1904 = false;
  await parseXml(await open(zip, entry, 'small'), entry.name, {
    open(name, a) {
      if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
      else if (name === 'sheet') {
        sheets.push({
          name: unescapeOoxml(a.name ?? ''),
          relId: attr(a, 'id') ?? '',
          hidden: a.state === 'hidden' || a.state === 'veryHidden',
        });
      }
    },
    close() {},
  });
  return { sheets, date1904 };
}

/**
 * The shared string table: each `<si>` is its `<t>` text, or the `<t>` of its rich-text runs joined;
 * phonetic guides (`<rPh>`, furigana over Japanese names) are not part of the text.
 */
async function readSharedStrings(zip: ZipArchive, part: string): Promise<string[]> {
  const entry = zip.find(part);
  if (!entry) return [];
  const strings: string[] = [];
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let text = '';
  await parseXml(await open(zip, entry, 'sharedStrings'), part, {
    open(name) {
      if (name === 'si') {
        inItem = true;
        text = '';
      } else if (name === 't') inText = inItem;
      else if (name === 'rPh') phonetic++;
    },
    text(t) {
      if (inText && phonetic === 0) text += t;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') {
        inItem = false;
        strings.push(unescapeOoxml(text));
      }
    },
  });
  return strings;
}

/** Per cell style (`<cellXfs>`, in order), the kind of its number format (built-in id or `<numFmt>` code). */
async function readStyles(zip: ZipArchive, part: string): Promise<NumberKind[]> {
  const entry = zip.find(part);
  if (!entry) return [];
  const codes = new Map<number, string>();
  const kinds: NumberKind[] = [];
  let inCellXfs = false;
  await parseXml(await open(zip, entry, 'small'), part, {
    open(name, a) {
      if (name === 'numFmt') codes.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        const code = codes.get(id);
        kinds.push(code !== undefined ? customKind(code) : builtInKind(id));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return kinds;
}

function open(zip: ZipArchive, entry: ZipEntry, limit: keyof typeof PART_LIMITS) {
  return zip.openEntry(entry, PART_LIMITS[limit], partTooLarge(entry.name, PART_LIMITS[limit]));
}
