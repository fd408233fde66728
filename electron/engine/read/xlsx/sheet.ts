// Why saxes over yauzl, not exceljs's WorkbookReader (`npm run bench`, bench/xlsx.ts: a 100,000-row,
// 40-column Meta export as .xlsx, 17 MB, 131 MB of sheet XML; 2 shared cores at load average 17,
// best of 3 interleaved runs, peak RSS in a fresh process):
//   bare saxes over yauzl (shared strings loaded, rows collected)   8.1 s   128 MB
//   bare exceljs WorkbookReader (every row's values)                13.7 s   233 MB (median 22.7 s)
//   metricdrop validate of the .xlsx (this reader + every check)    10.7 s   149 MB  = 1.33x the bare saxes read
// Besides being 1.7x slower and twice the memory, exceljs gives numbers as JavaScript numbers and
// dates as Date objects, so a cell's exact text (`0.30000000000000004`, a 17-digit value) is gone
// before we see it, and its streaming reader has to park a sheet that comes before the shared strings
// in the archive (TikTok's order) in a temporary file. yauzl reads the archive's directory and
// opens any part in any order; saxes is the well-kept streaming XML parser exceljs itself uses.
import { AppError } from '../../../../shared/errors.ts';
import { columnIndex, plainNumber, serialToIso, unescapeOoxml } from './cells.ts';
import { PART_LIMITS, partTooLarge, type CellContext, type SheetRef, type Workbook } from './workbook.ts';
import { parseXml } from './xml.ts';

/** Receives a sheet's rows in order: the cells as text (gaps filled with ''), and the sheet's own row number. */
export type RowSink = (fields: string[], rowNumber: number) => boolean;

export interface SheetSummary {
  /** True when the sink asked to stop. */
  stopped: boolean;
  /** Columns (0-based) in which a number was formatted as a percentage: their text is the fraction. */
  fractionColumns: Set<number>;
}

/**
 * Streams one worksheet's `<sheetData>` row by row: the part is inflated and parsed chunk by chunk
 * and only the row being read is in memory. The `<dimension>` element is not read (TikTok writes
 * `A1` whatever the size); cells are placed by their own reference (`r="C7"`), or after the cell
 * before when a writer leaves it out, and rows by `<row r>`, so the row numbers are the sheet's.
 *
 * Cell text: shared strings (`t="s"`), inline strings (`t="inlineStr"`, rich-text runs joined), the
 * cached value of a formula (`<v>` beside `<f>`: `t="str"` text, else a number), booleans as
 * TRUE/FALSE, errors as written (`#DIV/0!`), and numbers as their exact plain decimal text
 * (`plainNumber`), or as an ISO date where the cell's style is a date format.
 */
export async function readSheetRows(workbook: Workbook, sheet: SheetRef, sink: RowSink): Promise<SheetSummary> {
  const ctx = await workbook.cells();
  const entry = workbook.zip.find(sheet.part);
  if (!entry) throw new AppError('INVALID_INPUT', `The workbook's sheet "${sheet.name}" is missing from the file. Save it again in Excel.`);
  const stream = await workbook.zip.openEntry(entry, PART_LIMITS.sheet, partTooLarge(`sheet "${sheet.name}"`, PART_LIMITS.sheet));
  const reader = new RowReader(ctx, sink);
  await parseXml(stream, sheet.part, reader, () => reader.stopped || reader.done);
  return { stopped: reader.stopped, fractionColumns: reader.fractionColumns };
}

/** What the text events are collected for. */
const NOTHING = 0;
const VALUE = 1;
const INLINE_TEXT = 2;

class RowReader {
  stopped = false;
  done = false;
  readonly fractionColumns = new Set<number>();
  private inSheetData = false;
  private rowNumber = 0;
  private fields: string[] | null = null;
  private nextColumn = 0;
  private column = 0;
  private type = 'n';
  private style = 0;
  private inlineString = false;
  private phonetic = 0;
  private collecting: number = NOTHING;
  private buffer = '';
  private value: string | null = null;

  constructor(
    private readonly ctx: CellContext,
    private readonly sink: RowSink,
  ) {}

  open(name: string, a: Record<string, string>): void {
    if (this.stopped || this.done) return;
    switch (name) {
      case 'sheetData':
        this.inSheetData = true;
        return;
      case 'row': {
        if (!this.inSheetData) return;
        const r = a.r === undefined ? NaN : Number(a.r);
        this.rowNumber = Number.isInteger(r) && r > this.rowNumber ? r : this.rowNumber + 1;
        this.fields = [];
        this.nextColumn = 0;
        return;
      }
      case 'c': {
        if (this.fields === null) return;
        const ref = a.r;
        const col = ref === undefined ? null : columnIndex(ref);
        this.column = col ?? this.nextColumn;
        this.type = a.t ?? 'n';
        this.style = a.s === undefined ? 0 : Number(a.s);
        this.value = null;
        this.inlineString = false;
        return;
      }
      case 'v':
        if (this.fields === null) return;
        this.collecting = VALUE;
        this.buffer = '';
        return;
      case 'is':
        this.inlineString = true;
        this.buffer = '';
        return;
      case 't':
        if (this.inlineString && this.phonetic === 0) this.collecting = INLINE_TEXT;
        return;
      case 'rPh':
        this.phonetic++;
        return;
    }
  }

  text(t: string): void {
    if (this.collecting !== NOTHING) this.buffer += t;
  }

  close(name: string): void {
    if (this.stopped || this.done) return;
    switch (name) {
      case 'v':
        if (this.collecting === VALUE) this.value = this.buffer;
        this.collecting = NOTHING;
        return;
      case 't':
        if (this.collecting === INLINE_TEXT) this.collecting = NOTHING;
        return;
      case 'rPh':
        this.phonetic--;
        return;
      case 'is':
        this.value = unescapeOoxml(this.buffer);
        return;
      case 'c':
        if (this.fields === null) return;
        this.fields[this.column] = this.cellText();
        this.nextColumn = this.column + 1;
        return;
      case 'row': {
        const fields = this.fields;
        if (fields === null) return;
        this.fields = null;
        for (let i = 0; i < fields.length; i++) if (fields[i] === undefined) fields[i] = '';
        if (!this.sink(fields, this.rowNumber)) this.stopped = true;
        return;
      }
      case 'sheetData':
        this.inSheetData = false;
        this.done = true;
        return;
    }
  }

  private cellText(): string {
    const v = this.value;
    if (v === null) return '';
    switch (this.type) {
      case 's': {
        const s = this.ctx.sharedStrings[Number(v)];
        if (s === undefined) {
          throw new AppError(
            'INVALID_INPUT',
            `Cell ${columnName(this.column)}${this.rowNumber} refers to shared string ${v}, which the workbook does not have: the file is damaged. Save it again in Excel.`,
          );
        }
        return s;
      }
      case 'inlineStr':
        return v;
      case 'str':
        return unescapeOoxml(v);
      case 'b':
        return v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
      case 'e':
        return v;
      case 'd':
        // An ISO 8601 date-time written as text (strict Open XML): the date when the time is midnight.
        return v.replace(/T00:00(?::00(?:\.0+)?)?Z?$/, '');
      default:
        return this.numberText(v);
    }
  }

  private numberText(v: string): string {
    if (v === '') return '';
    const kind = this.ctx.styleKinds[this.style] ?? 'number';
    if (kind === 'date' || kind === 'datetime' || kind === 'time') return serialToIso(v, kind, this.ctx.date1904) ?? plainNumber(v) ?? v;
    if (kind === 'percent') this.fractionColumns.add(this.column);
    return plainNumber(v) ?? v;
  }
}

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
