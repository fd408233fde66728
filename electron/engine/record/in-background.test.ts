import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { RECORD_WORKER } from '../../../scripts/build-cli.mjs';
import { createEngine, type Engine, type EngineDeps } from '../index.ts';
import { openStore, storeFile } from '../store/open.ts';
import { validationIssues } from '../store/validations.ts';
import { SpareRecordingThread } from './spare.ts';

// The compiled thread (dist-cli/record-worker.mjs), built from this tree by the unit project's setup.
const worker = pathToFileURL(RECORD_WORKER as string);
const fixtures = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures');
const AT = new Date('2026-12-02T09:00:00Z');

interface Logged {
  level: string;
  message: string;
  fields?: Record<string, unknown> | undefined;
}

function engineWith(rowRecorder: EngineDeps['rowRecorder'], logged: Logged[] = []) {
  const home = mkdtempSync(join(tmpdir(), 'metricdrop-record-'));
  const db = openStore(storeFile(home));
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logged.push({ level, message, fields });
  let n = 0;
  const engine = createEngine({
    db,
    clock: { now: () => AT },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    home,
    newId: () => `v-${++n}`,
    ...(rowRecorder ? { rowRecorder } : {}),
  });
  return { engine, db, home };
}

/** Whether each validation's rows were recorded while its file was read, from the engine's log. */
const whileReading = (logged: Logged[]) => logged.filter((l) => l.message === 'validated').map((l) => l.fields!.recordedWhileReading);

/** Everything the store keeps of a validation, as the app and the CLI read it back. */
function stored(engine: Engine, db: ReturnType<typeof openStore>, id: string) {
  return {
    validation: engine.getValidation(id),
    rows: engine.validatedRows(id),
    issues: validationIssues(db, id),
    audit: engine.auditEvents({ subjectId: id }).map((e) => ({ kind: e.kind, detail: e.detail })),
  };
}

function csv(lines: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'metricdrop-record-file-'));
  const path = join(dir, 'export.csv');
  writeFileSync(path, lines.join('\n'));
  return path;
}

/**
 * An export of 1 MiB or more (the size whose recording thread starts before reading), in 1,200 rows:
 * 40 campaigns over 30 days, each row carrying a long cell in a column metricdrop does not read.
 */
function largeExport(): string {
  const lines = ['Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks",Notes'];
  for (let day = 1; day <= 30; day++)
    for (let c = 0; c < 40; c++)
      lines.push(
        `2025-09-${String(day).padStart(2, '0')},Campaign number ${c} for the long run,12021555331${100000 + c},1.25,10,1,${'note '.repeat(200)}`,
      );
  return csv(lines);
}

describe('recording a validation on another thread while the file is read', () => {
  it('stores exactly what recording after reading stores: report, rows, issues and audit event', async () => {
    for (const name of [
      'meta/ad-daily-row-errors.csv',
      'meta/campaign-daily-range-per-day.csv',
      'google/adgroup-daily-excel-utf16le-tab.csv',
      'tiktok/ad-daily-korean.csv',
    ]) {
      const logged: Logged[] = [];
      const inline = engineWith(undefined);
      const background = engineWith({ worker, rowsPerRun: 2 }, logged);
      const a = await inline.engine.validateFile(join(fixtures, name));
      const b = await background.engine.validateFile(join(fixtures, name));
      expect(whileReading(logged), name).toEqual([true]);
      expect(b.report, name).toEqual(a.report);
      expect(a.report.rows.valid, name).toBeGreaterThan(2);
      const expected = stored(inline.engine, inline.db, 'v-1');
      expect(stored(background.engine, background.db, 'v-1'), name).toEqual(expected);
      expect(expected.rows, name).toEqual(a.rows);
    }
  });

  it('records an export sorted by ad (new entities until its last rows) as recording after reading does, every reference in place', async () => {
    const lines = [
      'Day,"Campaign name","Campaign ID","Ad set name","Ad set ID","Ad name","Ad ID","Amount spent (USD)",Impressions,"Link clicks"',
    ];
    // 60 ads in 6 ad sets of 3 campaigns, 20 days each, the rows of one ad together.
    for (let ad = 0; ad < 60; ad++)
      for (let day = 1; day <= 20; day++) {
        const adSet = Math.floor(ad / 10);
        const campaign = Math.floor(adSet / 2);
        lines.push(
          `2025-09-${String(day).padStart(2, '0')},Campaign ${campaign},12021555330${campaign},Ad set ${adSet},12021555331${adSet},Ad ${ad},120215553320${String(ad).padStart(2, '0')},${day}.${ad % 10}5,${ad * 100 + day},${day % 4}`,
        );
      }
    const file = csv(lines);
    const logged: Logged[] = [];
    const inline = engineWith(undefined);
    const background = engineWith({ worker, rowsPerRun: 50 }, logged);
    const a = await inline.engine.validateFile(file);
    const b = await background.engine.validateFile(file);
    expect(whileReading(logged)).toEqual([true]);
    expect(b.report).toEqual(a.report);
    expect(b.report.rows.valid).toBe(1200);
    expect(b.report.entities).toEqual({ campaigns: 3, adSets: 6, ads: 60 });
    expect(stored(background.engine, background.db, 'v-1')).toEqual(stored(inline.engine, inline.db, 'v-1'));
    // The thread records with foreign keys off on its own connection: the store finds every reference in place.
    expect(background.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(background.db.pragma('foreign_key_check')).toEqual([]);
    expect(background.db.prepare('select count(*) from validated_entities').pluck().get()).toBe(60);
  });

  it('settles a confirmed mapping in the same transaction: saved once, dated, and named in the report', async () => {
    const file = join(fixtures, 'mapping', 'meta-campaign-renamed-spend.csv');
    const mapping = { platform: 'meta' as const, fields: { spend: 'Budget used (EUR)' } };
    const logged: Logged[] = [];
    const inline = engineWith(undefined);
    const background = engineWith({ worker, rowsPerRun: 1 }, logged);
    const a = await inline.engine.validateFile(file, { mapping });
    const b = await background.engine.validateFile(file, { mapping });
    expect(b.report.mapped).toEqual({ ...a.report.mapped, id: expect.any(String) });
    expect(b.report.mapped!.note).toContain('2 Dec 2026');
    const [saved] = background.engine.mappings.list();
    expect(background.engine.mappings.list()).toHaveLength(1);
    expect(b.report.mapped!.id).toBe(saved!.id);
    expect(background.engine.getValidation('v-1')!.report.mapped).toEqual(b.report.mapped);
    expect(background.engine.auditEvents().map((e) => e.kind)).toEqual(['validated', 'mapping_saved']);

    // The next file with the same header uses the saved mapping and marks it used, there too.
    const next = await background.engine.validateFile(join(fixtures, 'mapping', 'meta-campaign-renamed-spend-next.csv'));
    expect(next.report.mapped).toMatchObject({ id: saved!.id, source: 'saved' });
    expect(whileReading(logged)).toEqual([true, true]);
  });

  it('a file read twice (its whole decided differently from its start) keeps only the second reading', async () => {
    const lines = ['Campaign report', '"September 1, 2025 - September 2, 2025"', 'Day,Campaign,Campaign ID,Impr.,Clicks,Cost'];
    for (let i = 0; i < 2500; i++) lines.push(`2025-09-01,C${i},${1000 + i},100,1,1.500`);
    lines.push('2025-09-02,C0,1000,100,1,"12,50"');
    const file = csv(lines);
    const logged: Logged[] = [];
    const background = engineWith({ worker, rowsPerRun: 100 }, logged);
    const b = await background.engine.validateFile(file);
    expect(whileReading(logged)).toEqual([true]);
    expect(b.report.totals.spend).toBe('3750012.5');
    const rows = background.engine.validatedRows('v-1');
    expect(rows).toHaveLength(2501);
    expect(rows[0]!.row.spend).toBe('1500');
    expect(rows).toEqual(b.rows);
  });

  it('a file refused after rows were read records the refusal and no rows', async () => {
    // The second file's rows are not daily: a range of days, found only on row 4000.
    const lines = ['"Reporting starts","Reporting ends","Campaign name","Amount spent (USD)",Impressions,"Link clicks"'];
    for (let i = 0; i < 4000; i++) lines.push(`2025-09-01,2025-09-01,Camp ${i},1,1,1`);
    lines.push('2025-09-01,2025-09-30,Camp 0,1,1,1');
    const file = csv(lines);
    const logged: Logged[] = [];
    const inline = engineWith(undefined);
    const background = engineWith({ worker, rowsPerRun: 10 }, logged);
    const a = await inline.engine.validateFile(file);
    const b = await background.engine.validateFile(file);
    expect(logged.map((l) => l.message)).toEqual(['the recording thread rolled back', 'validated']);
    expect(b.report).toEqual(a.report);
    expect(b.report.refused).not.toBeNull();
    expect(stored(background.engine, background.db, 'v-1')).toEqual(stored(inline.engine, inline.db, 'v-1'));
    expect(background.engine.validatedRows('v-1')).toEqual([]);
  });

  it('when the thread fails, nothing of it is left and the validation is recorded on this thread', async () => {
    const logged: Logged[] = [];
    const broken = new URL('data:text/javascript,throw new Error("no recording here")');
    const background = engineWith({ worker: broken, rowsPerRun: 2 }, logged);
    const inline = engineWith(undefined);
    const file = join(fixtures, 'meta/ad-daily-row-errors.csv');
    await inline.engine.validateFile(file);
    await background.engine.validateFile(file);
    expect(stored(background.engine, background.db, 'v-1')).toEqual(stored(inline.engine, inline.db, 'v-1'));
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'the recording thread failed; recording on this one' }),
    );
    expect(whileReading(logged)).toEqual([false]);
  });

  it('when the thread fails while hashing a large file, the file is hashed and recorded on threads of its own', async () => {
    const logged: Logged[] = [];
    const broken = new URL('data:text/javascript,throw new Error("no recording here")');
    const background = engineWith({ worker: broken }, logged);
    const inline = engineWith(undefined);
    const large = largeExport();
    const b = await background.engine.validateFile(large);
    const a = await inline.engine.validateFile(large);
    expect(b.report.bytes).toBeGreaterThan(1024 * 1024);
    expect(b.report).toEqual(a.report);
    expect(b.report.sha256).toBe(createHash('sha256').update(readFileSync(large)).digest('hex'));
    expect(stored(background.engine, background.db, 'v-1')).toEqual(stored(inline.engine, inline.db, 'v-1'));
    expect(whileReading(logged)).toEqual([false]);
  });

  it('nothing is visible to other connections until the validation is complete', async () => {
    const lines = ['Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks"'];
    for (let i = 0; i < 3000; i++) lines.push(`2025-09-01,Camp ${i},12021555331076${1000 + i},1.25,10,1`);
    const file = csv(lines);
    const background = engineWith({ worker, rowsPerRun: 50 });
    const reader = openStore(storeFile(background.home));
    const seen: number[] = [];
    const watching = setInterval(() => {
      const r = reader.prepare('select count(*) as n from validated_rows').get() as { n: number };
      seen.push(r.n);
    }, 1);
    try {
      await background.engine.validateFile(file);
    } finally {
      clearInterval(watching);
    }
    // Read while the thread was recording: never some of the rows.
    expect(seen.every((n) => n === 0 || n === 3000)).toBe(true);
    expect(seen.filter((n) => n === 0).length).toBeGreaterThan(0);
    expect((reader.prepare('select count(*) as n from validated_rows').get() as { n: number }).n).toBe(3000);
    reader.close();
  });

  it('a large file gets its thread before reading starts, and one refused at its header leaves no trace of it', async () => {
    const large = largeExport();
    const logged: Logged[] = [];
    const background = engineWith({ worker }, logged);
    const inline = engineWith(undefined);
    const b = await background.engine.validateFile(large);
    const a = await inline.engine.validateFile(large);
    expect(b.report).toEqual(a.report);
    expect(b.report.bytes).toBeGreaterThan(1024 * 1024);
    // Hashed on the recording thread, beside the rows.
    expect(b.report.sha256).toBe(createHash('sha256').update(readFileSync(large)).digest('hex'));
    expect(b.report.rows.valid).toBe(1200);
    expect(stored(background.engine, background.db, 'v-1')).toEqual(stored(inline.engine, inline.db, 'v-1'));
    expect(whileReading(logged)).toEqual([true]);

    const notAnExport = csv(Array.from({ length: 20000 }, (_, i) => `line ${i} of a file that is no export at all`));
    const refused = await background.engine.validateFile(notAnExport);
    expect(refused.report.refused!.code).toBe('UNKNOWN_FORMAT');
    expect(background.engine.getValidation('v-2')!.report.refused!.code).toBe('UNKNOWN_FORMAT');
    expect(whileReading(logged)).toEqual([true, false]);
    expect(logged.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('a thread started ahead of need records the first large file, and is given out only once', async () => {
    const large = largeExport();
    const spare = new SpareRecordingThread(worker);
    const logged: Logged[] = [];
    const background = engineWith({ worker, spare }, logged);
    const inline = engineWith(undefined);
    const b = await background.engine.validateFile(large);
    const a = await inline.engine.validateFile(large);
    expect(b.report).toEqual(a.report);
    expect(stored(background.engine, background.db, 'v-1')).toEqual(stored(inline.engine, inline.db, 'v-1'));
    expect(whileReading(logged)).toEqual([true]);
    // Taken by that recording (which ended it); the next file gets a thread of its own.
    expect(spare.take()).toBeNull();
    await background.engine.validateFile(large);
    expect(whileReading(logged)).toEqual([true, true]);
    expect(stored(background.engine, background.db, 'v-2').rows).toEqual(stored(inline.engine, inline.db, 'v-1').rows);
  });
});
