import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateExport } from '../validate/index.ts';
import { listAuditEvents, recordAuditEvent } from './audit.ts';
import { openStore, storeFile } from './open.ts';
import {
  getValidation,
  latestValidationFor,
  listValidations,
  recordValidation,
  validatedRows,
  validatedRowsPage,
  validationIssues,
} from './validations.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', name);
const home = () => mkdtempSync(join(tmpdir(), 'metricdrop-store-'));

describe('validations repository', () => {
  it('stores a validated file and gives back the same report, issues and canonical rows', async () => {
    const db = openStore(storeFile(home()));
    const result = await validateExport(fixture('meta/ad-daily-row-errors.csv'));
    recordValidation(db, { id: 'v1', at: new Date('2025-09-30T10:00:00Z'), filePath: '/exports/errors.csv', ...result });
    const stored = getValidation(db, 'v1')!;
    expect(stored).toEqual({ id: 'v1', validatedAt: '2025-09-30T10:00:00.000Z', filePath: '/exports/errors.csv', report: result.report });
    expect(validatedRows(db, 'v1')).toEqual(result.rows);
    expect(validationIssues(db, 'v1')).toEqual(result.report.issues);
    db.close();
  });

  it('gives the rows page by page as they are stored, each page in row order, nothing past the end', async () => {
    const db = openStore(':memory:');
    const result = await validateExport(fixture('tiktok/ad-daily-by-day-total-row.csv'));
    recordValidation(db, { id: 'p', at: new Date(), filePath: 'x', ...result });
    const other = await validateExport(fixture('meta/ad-daily-row-errors.csv'));
    recordValidation(db, { id: 'q', at: new Date(), filePath: 'y', ...other });
    const all = validatedRows(db, 'p');
    expect(all.length).toBeGreaterThan(3);
    const pages = [0, 2, 4, 6, 8].map((offset) => validatedRowsPage(db, 'p', offset, 2));
    expect(pages.flat().slice(0, all.length)).toEqual(all);
    expect(validatedRowsPage(db, 'p', all.length, 2)).toEqual([]);
    expect(validatedRowsPage(db, 'q', 0, 1000)).toEqual(validatedRows(db, 'q'));
  });

  it('keeps optional canonical fields absent (campaign-level rows have no ad set keys)', async () => {
    const db = openStore(':memory:');
    const result = await validateExport(fixture('meta/campaign-daily-range-per-day.csv'));
    recordValidation(db, { id: 'v2', at: new Date(), filePath: 'x', ...result });
    const [first] = validatedRows(db, 'v2');
    expect(Object.keys(first!.row)).toEqual([
      'date',
      'campaign_external_id',
      'campaign_name',
      'impressions',
      'clicks',
      'spend',
      'conversions',
      'conversion_value',
      'currency',
    ]);
  });

  it('records refused files too (the audit log shows every attempt), with their refusal', async () => {
    const db = openStore(':memory:');
    const result = await validateExport(fixture('refuse/unknown-bank-statement.csv'));
    recordValidation(db, { id: 'r1', at: new Date('2025-09-30T11:00:00Z'), filePath: 'x', ...result });
    expect(getValidation(db, 'r1')!.report.refused?.code).toBe('UNKNOWN_FORMAT');
    expect(db.prepare("select refused_code, sha256 from validations where id = 'r1'").get()).toEqual({
      refused_code: 'UNKNOWN_FORMAT',
      sha256: null,
    });
    expect(listAuditEvents(db)[0]).toMatchObject({ kind: 'validated', subjectId: 'r1', detail: { refused: { code: 'UNKNOWN_FORMAT' } } });
  });

  it('finds the newest validation of a content and lists newest first', async () => {
    const db = openStore(':memory:');
    const result = await validateExport(fixture('google/campaign-daily-preamble-totals.csv'));
    recordValidation(db, { id: 'old', at: new Date('2025-09-01T00:00:00Z'), filePath: 'a', ...result });
    recordValidation(db, { id: 'new', at: new Date('2025-09-02T00:00:00Z'), filePath: 'b', ...result });
    expect(latestValidationFor(db, result.report.sha256!)?.id).toBe('new');
    expect(latestValidationFor(db, 'f'.repeat(64))).toBeNull();
    expect(listValidations(db, { limit: 5 }).map((v) => v.id)).toEqual(['new', 'old']);
    expect(getValidation(db, 'missing')).toBeNull();
  });

  it('writes all of a validation or nothing', async () => {
    const db = openStore(':memory:');
    const result = await validateExport(fixture('tiktok/ad-daily-by-day-total-row.csv'));
    const broken = [...result.rows, result.rows[0]!]; // the same row number twice violates the key
    expect(() => recordValidation(db, { id: 'v', at: new Date(), filePath: 'x', report: result.report, rows: broken })).toThrow(
      /UNIQUE|PRIMARY/,
    );
    expect(
      db
        .prepare('select (select count(*) from validations) + (select count(*) from validated_rows) + (select count(*) from audit_events)')
        .pluck()
        .get(),
    ).toBe(0);
  });

  it('audit events: newest first, filtered by subject', () => {
    const db = openStore(':memory:');
    recordAuditEvent(db, { at: new Date('2025-09-01T00:00:00Z'), kind: 'validated', subjectId: 'a', detail: { n: 1 } });
    recordAuditEvent(db, { at: new Date('2025-09-02T00:00:00Z'), kind: 'uploaded', subjectId: 'b', detail: null });
    expect(listAuditEvents(db).map((e) => e.kind)).toEqual(['uploaded', 'validated']);
    expect(listAuditEvents(db, { subjectId: 'a' })).toEqual([
      { id: 1, at: '2025-09-01T00:00:00.000Z', kind: 'validated', subjectId: 'a', detail: { n: 1 } },
    ]);
  });
});
