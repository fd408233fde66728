import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, silentLogger, type Logger } from './index.ts';
import { openStore, storeFile } from './store/open.ts';
import { ACCEPTED_FIXTURES } from '../../test/fixtures/expected.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'test', 'fixtures', name);

describe('createEngine: validateFile', () => {
  it('validates, records the file with its rows, and hands back what the store now holds', async () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-engine-'));
    const db = openStore(storeFile(home));
    const logged: string[] = [];
    const logger: Logger = { ...silentLogger, info: (m) => void logged.push(m) };
    let tick = Date.parse('2025-09-30T12:00:00Z');
    const engine = createEngine({ db, clock: { now: () => new Date((tick += 1000)) }, logger, newId: () => 'validation-1', home });

    const name = 'meta/ad-daily-summary-row.csv';
    const outcome = await engine.validateFile(fixture(name));
    expect(outcome.validationId).toBe('validation-1');
    expect(outcome.report.totals).toEqual(ACCEPTED_FIXTURES[name]!.totals);
    expect(engine.validatedRows('validation-1')).toEqual(outcome.rows);
    expect(engine.getValidation('validation-1')).toMatchObject({
      filePath: fixture(name),
      validatedAt: '2025-09-30T12:00:01.000Z',
      report: outcome.report,
    });
    expect(engine.latestValidationFor(outcome.report.sha256!)?.id).toBe('validation-1');
    expect(engine.auditEvents({ limit: 1 })[0]).toMatchObject({ kind: 'validated', subjectId: 'validation-1' });
    expect(logged).toEqual(['validated']);
    db.close();
  });

  it('records a refusal instead of throwing', async () => {
    const db = openStore(':memory:');
    const engine = createEngine({ db, clock: { now: () => new Date() }, logger: silentLogger, home: mkdtempSync(join(tmpdir(), 'md-')) });
    const outcome = await engine.validateFile(fixture('refuse/windows-1252-encoding.csv'));
    expect(outcome.report.refused?.code).toBe('ENCODING_ERROR');
    expect(outcome.rows).toEqual([]);
    expect(engine.listValidations()[0]?.report.refused?.code).toBe('ENCODING_ERROR');
  });
});
