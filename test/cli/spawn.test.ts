import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
import { ACCEPTED_FIXTURES } from '../fixtures/expected.ts';

const root = join(import.meta.dirname, '..', '..');

function metricdrop(args: string[], home: string) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'metricdrop.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, METRICDROP_HOME: home },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the real command line (node bin/metricdrop.mjs)', () => {
  it('validate --json prints one report on stdout and exits 0; the store file appears in METRICDROP_HOME', () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-spawn-'));
    const name = 'google/adgroup-daily-excel-utf16le-tab.csv';
    const r = metricdrop(['validate', join('test', 'fixtures', name), '--json'], home);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = ValidateReport.parse(JSON.parse(r.stdout));
    expect(report.totals).toEqual(ACCEPTED_FIXTURES[name]!.totals);
    expect(existsSync(join(home, 'metricdrop.sqlite'))).toBe(true);
  });

  it('exit codes 1, 2 and 64 reach the shell', () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-spawn-'));
    expect(metricdrop(['validate', 'test/fixtures/meta/ad-daily-row-errors.csv', '--json'], home).code).toBe(1);
    expect(metricdrop(['validate', 'test/fixtures/refuse/windows-1252-encoding.csv'], home)).toMatchObject({ code: 2, stdout: '' });
    expect(metricdrop(['validate'], home).code).toBe(64);
  });
});
