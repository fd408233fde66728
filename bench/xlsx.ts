// The .xlsx part of `npm run bench`: a 100,000-row, 40-column Meta Ads Manager export saved as .xlsx
// (shared strings, numbers written as `1234.0`, text dates, 18-digit IDs as text, a summary row),
// then the bare streaming reads of the two candidates (exceljs's WorkbookReader; saxes over yauzl,
// the one metricdrop uses), metricdrop's validate of it, their ratio, rows per second and peak RSS.
//   tsx bench/xlsx.ts make FILE ROWS     writes the workbook, prints the generator's totals (JSON)
//   tsx bench/xlsx.ts rss MODE FILE      one measurement in this fresh process (peak RSS is its own)
import { createWriteStream, unlinkSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { Readable, type Readable as ReadableStream } from 'node:stream';
import ExcelJS from 'exceljs';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { validateExport } from '../electron/engine/validate/index.ts';
import { openZip } from '../electron/engine/read/zip.ts';
import type { ValidateReport } from '../shared/report.ts';
import { META_BENCH_HEADER, metaBenchRows } from './make-meta-export.ts';

export type XlsxMode = 'exceljs' | 'saxes' | 'validate';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface MadeWorkbook {
  rows: number;
  impressions: string;
  clicks: string;
  spendMicros: string;
}

/** Writes the workbook: the sheet XML is generated as a stream, never built whole. */
export async function makeMetaXlsx(path: string, rows: number): Promise<MadeWorkbook> {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const s = (text: string) => {
    let i = index.get(text);
    if (i === undefined) {
      i = strings.length;
      strings.push(text);
      index.set(text, i);
    }
    return i;
  };
  const col = (i: number) =>
    i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26));
  // A number is written as Meta writes it: whole numbers as `1234.0`, others as their shortest text.
  const cell = (c: number, r: number, v: string | number | null): string =>
    v === null || v === ''
      ? ''
      : typeof v === 'number'
        ? `<c r="${col(c)}${r}" s="1" t="n"><v>${Number.isInteger(v) ? `${v}.0` : String(v)}</v></c>`
        : v.startsWith('=')
          ? `<c r="${col(c)}${r}" s="1" t="n"><v>${v.slice(1)}</v></c>`
          : `<c r="${col(c)}${r}" t="s"><v>${s(v)}</v></c>`;
  let impressions = 0n;
  let clicks = 0n;
  let spendMicros = 0n;
  function* sheet(): Generator<string> {
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>';
    yield `<row r="1">${META_BENCH_HEADER.map((h, i) => cell(i, 1, h)).join('')}</row>`;
    const summary: (string | number | null)[] = ['2025-09-01', '2025-09-30', ...Array<null>(10).fill(null), 1000000];
    yield `<row r="2">${summary.map((v, i) => cell(i, 2, v)).join('')}</row>`;
    let r = 2;
    let chunk = '';
    for (const row of metaBenchRows(rows)) {
      const { impressions: impr, linkClicks: link, allClicks: all, spendMicros: micros, purchases } = row;
      const value = row.value === null ? null : Number(row.value);
      impressions += BigInt(impr);
      clicks += BigInt(link);
      spendMicros += BigInt(micros);
      const cells: (string | number | null)[] = [
        '2025-09-01',
        '2025-09-30',
        row.day,
        row.campaignName,
        row.campaignId,
        row.adSetName,
        row.adSetId,
        row.adName,
        row.adId,
        'active',
        50,
        'Daily',
        // The exact amount as number text (`=` marks it for `cell`): a double would round the micros.
        `=${row.spend}`,
        impr ? Number(((micros / impr) * 1e-3).toFixed(6)) : null,
        link ? Number((micros / 1e6 / link).toFixed(6)) : null,
        impr ? Number((link / impr).toFixed(6)) : null,
        impr,
        Math.floor(impr * 0.8),
        row.frequency === null ? null : Number(row.frequency),
        link || null,
        all,
        impr ? Number((all / impr).toFixed(6)) : null,
        all ? Number((micros / 1e6 / all).toFixed(6)) : null,
        Math.floor(link * 0.9),
        Math.floor(link * 0.7),
        Math.floor(link * 0.1),
        null,
        purchases,
        value,
        null,
        purchases,
        purchases !== null ? 'actions:offsite_conversion.fb_pixel_purchase' : null,
        null,
        value,
        value !== null ? 'action_values:offsite_conversion.fb_pixel_purchase' : null,
        Math.floor(impr * 0.3),
        Math.floor(impr * 0.05),
        '7-day click or 1-day view',
        'Average',
        'Sales',
      ];
      r++;
      chunk += `<row r="${r}">${cells.map((v, i) => cell(i, r, v)).join('')}</row>`;
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    yield chunk;
    yield '</sheetData></worksheet>';
  }
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2025, 9, 1));
  const add = (name: string, text: string) => zip.addBuffer(Buffer.from(text), name, { mtime });
  add(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
  );
  add(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  );
  add(
    'xl/workbook.xml',
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904="false"/><sheets><sheet name="Raw Data Report" r:id="rId3" sheetId="1"/></sheets></workbook>',
  );
  add(
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/><Relationship Id="rId2" Target="styles.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"/><Relationship Id="rId3" Target="worksheets/sheet1.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
  );
  add(
    'xl/styles.xml',
    '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="d/m"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="2"/></cellXfs></styleSheet>',
  );
  // The sheet XML is streamed to a file first: only then are all its shared strings known.
  const sheetFile = `${path}.sheet.xml`;
  await pipeline(Readable.from(sheet()), createWriteStream(sheetFile));
  zip.addFile(sheetFile, 'xl/worksheets/sheet1.xml', { mtime });
  add(
    'xl/sharedStrings.xml',
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((t) => `<si><t>${esc(t)}</t></si>`).join('')}</sst>`,
  );
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  unlinkSync(sheetFile);
  return { rows, impressions: impressions.toString(), clicks: clicks.toString(), spendMicros: spendMicros.toString() };
}

/** exceljs's streaming reader, bare: every row of every sheet, cells' values taken. */
export async function bareExceljs(path: string): Promise<number> {
  let rows = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      void row.values;
      rows++;
    }
  }
  return rows;
}

/** saxes over yauzl, bare: the shared strings loaded, the sheet streamed, each row's cell texts collected. */
export async function bareSaxes(path: string): Promise<number> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.once('end', resolve);
    zip.once('error', reject);
    zip.readEntry();
  });
  const parse = async (name: string, on: (p: SaxesParser) => void) => {
    const parser = new SaxesParser({ xmlns: false, position: false });
    on(parser);
    const stream: ReadableStream = await zip.openReadStreamPromise(entries.get(name)!);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of stream as AsyncIterable<Buffer>) parser.write(decoder.write(chunk));
    parser.close();
  };
  const strings: string[] = [];
  let text = '';
  await parse('xl/sharedStrings.xml', (p) => {
    p.on('opentag', (t) => void (t.name === 'si' && (text = '')));
    p.on('text', (t) => void (text += t));
    p.on('closetag', (t) => void (t.name === 'si' && strings.push(text)));
  });
  let rows = 0;
  let cells: string[] = [];
  let shared = false;
  let value = '';
  await parse('xl/worksheets/sheet1.xml', (p) => {
    p.on('opentag', (t) => {
      if (t.name === 'c') {
        shared = t.attributes.t === 's';
        value = '';
      } else if (t.name === 'row') cells = [];
    });
    p.on('text', (t) => void (value += t));
    p.on('closetag', (t) => {
      if (t.name === 'c') cells.push(shared ? strings[Number(value)]! : value);
      else if (t.name === 'row') rows++;
    });
  });
  zip.close();
  void cells;
  return rows;
}

export async function runXlsxMode(mode: XlsxMode, path: string): Promise<number | ValidateReport> {
  if (mode === 'exceljs') return bareExceljs(path);
  if (mode === 'saxes') return bareSaxes(path);
  return (await validateExport(path)).report;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const [command, a, b] = process.argv.slice(2);
  if (command === 'make') {
    process.stdout.write(JSON.stringify(await makeMetaXlsx(a!, Number(b))) + '\n');
  } else if (command === 'rss') {
    const started = performance.now();
    const out = await runXlsxMode(a as XlsxMode, b!);
    process.stdout.write(
      JSON.stringify({
        ms: performance.now() - started,
        peakRss: process.resourceUsage().maxRSS * 1024,
        rows: typeof out === 'number' ? out : out.rows.valid,
      }) + '\n',
    );
  }
}

export interface XlsxStep {
  runsMs: number[];
  bestMs: number;
  medianMs: number;
  peakRssBytes: number;
}

export interface XlsxFigures {
  rows: number;
  columns: number;
  bytes: number;
  sheetXmlBytes: number;
  saxes: XlsxStep;
  exceljs: XlsxStep;
  validate: XlsxStep;
  validateOverSaxesBest: number;
  validateOverSaxesMedian: number;
  exceljsOverSaxesBest: number;
  validateRowsPerSecond: number;
}

/**
 * Makes the workbook (in a child process, as the CSV), checks that validate gives the generator's
 * exact totals, then times interleaved runs after a warm-up (a collected heap before each) and each
 * step's peak RSS in a fresh process. exceljs gets fewer runs: it is the slow one.
 */
export async function benchXlsx(opts: { rows: number; runs: number; dir: string; say: (line: string) => void }): Promise<XlsxFigures> {
  const { execFileSync } = await import('node:child_process');
  const { statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  const file = join(opts.dir, `meta-ad-daily-${opts.rows}.xlsx`);
  const self = join(import.meta.dirname, 'xlsx.ts');
  const made = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', self, 'make', file, String(opts.rows)], { encoding: 'utf8' }),
  ) as MadeWorkbook;
  const bytes = statSync(file).size;
  const report = (await validateExport(file)).report;
  const micros = made.spendMicros.padStart(7, '0');
  const spend = `${micros.slice(0, -6)}.${micros.slice(-6)}`.replace(/\.?0+$/, '');
  const got = { impressions: report.totals.impressions, clicks: report.totals.clicks, spend: report.totals.spend };
  const want = { impressions: made.impressions, clicks: made.clicks, spend };
  if (
    JSON.stringify(got) !== JSON.stringify(want) ||
    report.rows.valid !== opts.rows ||
    report.issues.some((i) => i.severity === 'error')
  ) {
    throw new Error(`validate of the .xlsx disagrees with the generator: ${JSON.stringify({ got, want, rows: report.rows })}`);
  }
  const zip = await openZip(file);
  const sheetXmlBytes = zip.find('xl/worksheets/sheet1.xml')?.declaredBytes ?? 0;
  zip.close();
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  const time = async (fn: () => Promise<unknown>) => {
    collect();
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  await bareSaxes(file);
  await bareExceljs(file);
  const runs: Record<XlsxMode, number[]> = { saxes: [], exceljs: [], validate: [] };
  for (let i = 0; i < opts.runs; i++) {
    runs.saxes.push(await time(() => bareSaxes(file)));
    runs.validate.push(await time(() => validateExport(file)));
    if (i < Math.min(3, opts.runs)) runs.exceljs.push(await time(() => bareExceljs(file)));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const step = (mode: XlsxMode): XlsxStep => {
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', self, 'rss', mode, file], { encoding: 'utf8' })) as {
      peakRss: number;
    };
    const xs = runs[mode];
    return { runsMs: xs.map(Math.round), bestMs: Math.round(Math.min(...xs)), medianMs: Math.round(median(xs)), peakRssBytes: out.peakRss };
  };
  const saxes = step('saxes');
  const exceljs = step('exceljs');
  const validate = step('validate');
  const figures: XlsxFigures = {
    rows: opts.rows,
    columns: META_BENCH_HEADER.length,
    bytes,
    sheetXmlBytes,
    saxes,
    exceljs,
    validate,
    validateOverSaxesBest: Number((validate.bestMs / saxes.bestMs).toFixed(2)),
    validateOverSaxesMedian: Number((validate.medianMs / saxes.medianMs).toFixed(2)),
    exceljsOverSaxesBest: Number((exceljs.bestMs / saxes.bestMs).toFixed(2)),
    validateRowsPerSecond: Math.round(opts.rows / (validate.bestMs / 1000)),
  };
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const line = (label: string, f: XlsxStep) =>
    `  ${label.padEnd(40)} best ${s(f.bestMs)}  median ${s(f.medianMs)}  peak RSS ${mb(f.peakRssBytes)}   (runs ${f.runsMs.join('/')} ms)`;
  opts.say('');
  opts.say(
    `the same export as .xlsx (Meta "Raw Data Report", shared strings): ${mb(bytes)} file, ${mb(sheetXmlBytes)} of sheet XML, ${opts.rows.toLocaleString('en-US')} rows x ${META_BENCH_HEADER.length} columns`,
  );
  opts.say(line('bare saxes over yauzl (chosen)', saxes));
  opts.say(line('bare exceljs WorkbookReader', exceljs));
  opts.say(line('validate (.xlsx)', validate));
  opts.say(
    `  validate / bare saxes                    ${figures.validateOverSaxesBest.toFixed(2)}x best-to-best, ${figures.validateOverSaxesMedian.toFixed(2)}x median-to-median (target: within 1.5x)`,
  );
  opts.say(`  exceljs / saxes                          ${figures.exceljsOverSaxesBest.toFixed(2)}x best-to-best`);
  opts.say(`  validate rows per second                 ${figures.validateRowsPerSecond.toLocaleString('en-US')} (best run)`);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  opts.say(
    `  targets: within 1.5x of the bare read: ${met(figures.validateOverSaxesBest <= 1.5)}; peak RSS < 400 MB: ${met(validate.peakRssBytes < 400 * 1024 * 1024)}`,
  );
  return figures;
}
