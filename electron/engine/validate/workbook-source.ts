// Loaded by `source.ts` and `index.ts` only for a file that begins as a zip archive: the zip and XML
// readers it brings (yauzl, saxes) are not loaded to read a CSV.
import type { ValidationIssue } from '../../../shared/report.ts';
import { readSheetRows } from '../read/xlsx/sheet.ts';
import { isWorkbookArchive, openWorkbook, type SheetRef, type Workbook } from '../read/xlsx/workbook.ts';
import { openZip } from '../read/zip.ts';
import { knownHeaderCells } from '../recognise/recognise.ts';
import type { RecordSource } from './source.ts';

/** A zip archive is an .xlsx workbook, or a .zip of other files. */
export async function archiveKind(path: string): Promise<'xlsx' | 'zip'> {
  const zip = await openZip(path);
  try {
    return isWorkbookArchive(zip) ? 'xlsx' : 'zip';
  } finally {
    zip.close();
  }
}

/** Rows looked at to tell a data sheet (a header an export table knows) from a notes or chart sheet. */
const HEADER_SEARCH_ROWS = 10;
/** Meta's flat sheet: preferred to `Formatted Report` (grouped, with subtotals) when both are there. */
const META_RAW_SHEET = 'raw data report';

/**
 * An .xlsx workbook's data sheet as a record source. One sheet: that one. Several: the ones with a
 * header row in their first rows that the export tables know (two or more known cells) are data
 * sheets; Meta's `Raw Data Report` is taken when it is one of them, else the first in workbook
 * order, and the report says which was read and which others hold data.
 */
export async function xlsxSource(path: string, bytes: number): Promise<RecordSource> {
  const workbook = await openWorkbook(path);
  try {
    const { sheet, warnings } = await chooseSheet(workbook);
    let fractionColumns = new Set<number>();
    const firstRows = new Map<number, string[]>();
    return {
      async read(sink, onEncoding) {
        onEncoding('xlsx');
        firstRows.clear();
        // A sheet leaves out a row's empty cells at its end, where a CSV writes empty fields: rows are
        // padded to the widest row so far (the header, once it is read), so no row looks cut off.
        let width = 0;
        const summary = await readSheetRows(workbook, sheet, (fields, row) => {
          if (fields.length > width) width = fields.length;
          else while (fields.length < width) fields.push('');
          if (firstRows.size < HEADER_SEARCH_ROWS * 2) firstRows.set(row, fields);
          return sink(fields, row, null);
        });
        fractionColumns = summary.fractionColumns;
        return { bytes, dialect: null, stopped: summary.stopped };
      },
      workbookFacts(headerRow) {
        const header = headerRow === null ? undefined : firstRows.get(headerRow);
        return {
          sheet: sheet.name,
          sheets: workbook.sheets.map((s) => s.name),
          fractionColumns: [...fractionColumns].sort((a, b) => a - b).map((i) => header?.[i]?.trim() || columnLetters(i)),
        };
      },
      warnings,
      close: () => workbook.close(),
    };
  } catch (err) {
    workbook.close();
    throw err;
  }
}

async function chooseSheet(workbook: Workbook): Promise<{ sheet: SheetRef; warnings: ValidationIssue[] }> {
  const visible = workbook.sheets.filter((s) => !s.hidden);
  const candidates = visible.length > 0 ? visible : workbook.sheets;
  if (candidates.length === 1) return { sheet: candidates[0]!, warnings: [] };
  const data: SheetRef[] = [];
  for (const sheet of candidates) if (await looksLikeData(workbook, sheet)) data.push(sheet);
  const sheet = data.find((s) => s.name.trim().toLowerCase() === META_RAW_SHEET) ?? data[0] ?? candidates[0]!;
  if (data.length <= 1) return { sheet, warnings: [] };
  const others = data.filter((s) => s !== sheet).map((s) => `"${s.name}"`);
  return {
    sheet,
    warnings: [
      {
        row: null,
        column: null,
        code: 'SEVERAL_SHEETS',
        severity: 'warning',
        message: `This workbook has ${data.length} sheets with report data; metricdrop read "${sheet.name}" and not ${others.join(', ')}. If you meant another sheet, save that one as "CSV UTF-8" and drop it.`,
      },
    ],
  };
}

async function looksLikeData(workbook: Workbook, sheet: SheetRef): Promise<boolean> {
  let rows = 0;
  let found = false;
  await readSheetRows(workbook, sheet, (fields) => {
    if (fields.every((f) => f.trim() === '')) return true;
    if (knownHeaderCells(fields) >= 2) found = true;
    return !found && ++rows < HEADER_SEARCH_ROWS;
  });
  return found;
}

function columnLetters(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return `column ${name}`;
}
