import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** Runs the compiled command line and gives back the text of every bundle file it loaded. */
function loadedBundleFiles(args: string[]): { status: number | null; files: Map<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), 'metricdrop-loads-'));
  const loads = join(dir, 'loads.txt');
  const r = spawnSync(
    process.execPath,
    ['--import', join(root, 'test', 'support', 'record-loads.mjs'), join(root, 'bin', 'metricdrop.mjs'), ...args, '--home', dir],
    { cwd: root, encoding: 'utf8', env: { ...process.env, METRICDROP_LOADS: loads } },
  );
  const files = new Map<string, string>();
  for (const url of readFileSync(loads, 'utf8').split('\n')) {
    if (!url.startsWith('file:') || !url.includes('/dist-cli/')) continue;
    const path = fileURLToPath(url);
    files.set(path, readFileSync(path, 'utf8'));
  }
  return { status: r.status, files };
}

const holding = (files: Map<string, string>, text: string) => [...files].filter(([, code]) => code.includes(text)).map(([p]) => p);

describe('what the command line loads, as a process', () => {
  it('validates a file without loading supabase-js, which whoami loads', () => {
    const validate = loadedBundleFiles(['validate', join(root, 'test', 'fixtures', 'meta', 'ad-daily-german.csv')]);
    expect(validate.status).toBe(0);
    // The file was read (papaparse's own error text is in what was loaded), and no Supabase client was.
    expect(holding(validate.files, 'UndetectableDelimiter')).not.toEqual([]);
    expect(holding(validate.files, 'supabase-js')).toEqual([]);

    const whoami = loadedBundleFiles(['whoami']);
    expect(holding(whoami.files, 'supabase-js')).not.toEqual([]);
  });
});

describe('what reading a file loads', () => {
  it('reads a CSV without the zip and XML readers, which an .xlsx workbook and a .zip load', () => {
    const zipReader = 'invalid central directory file header signature';
    const xmlReader = 'text data outside of root node.';
    const csv = loadedBundleFiles(['validate', join(root, 'test', 'fixtures', 'meta', 'ad-daily-german.csv')]);
    expect(csv.status).toBe(0);
    expect(holding(csv.files, 'UndetectableDelimiter')).not.toEqual([]);
    expect([holding(csv.files, zipReader), holding(csv.files, xmlReader)]).toEqual([[], []]);

    const xlsx = loadedBundleFiles(['validate', join(root, 'test', 'fixtures', 'xlsx', 'meta-adset-daily-raw-data-report.xlsx')]);
    expect(xlsx.status).toBe(0);
    expect(holding(xlsx.files, zipReader)).not.toEqual([]);
    expect(holding(xlsx.files, xmlReader)).not.toEqual([]);

    const zip = loadedBundleFiles(['validate', join(root, 'test', 'fixtures', 'zip', 'two-exports-one-with-row-errors.zip')]);
    expect(zip.status).toBe(1);
    expect(holding(zip.files, zipReader)).not.toEqual([]);
  });
});
