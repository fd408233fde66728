import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
// @ts-expect-error plain .mjs without types
import { cliBuildOptions } from '../../scripts/build-cli.mjs';

/**
 * What the compiled command line loads, as a process: each run records every module file it loads
 * (test/support/record-loads.mjs), and the bundle's metafile says which sources and packages each of
 * those files holds. The bundle's static shape is test/cli/bundle.test.ts.
 */
const root = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => join(root, 'test', 'fixtures', name);

let metafile: Promise<Metafile['outputs']> | undefined;
/** The outputs of dist-cli/, which test/support/cli-setup.ts built from this tree with these same options. */
function distOutputs(): Promise<Metafile['outputs']> {
  metafile ??= build({ ...cliBuildOptions(), metafile: true, write: false, logLevel: 'silent' }).then((r) => r.metafile!.outputs);
  return metafile;
}

/** Runs the compiled command line; `packages` are the npm packages among what it loaded, `inputs` every source file. */
async function run(args: string[]) {
  const outputs = await distOutputs();
  const dir = mkdtempSync(join(tmpdir(), 'metricdrop-loads-'));
  const loads = join(dir, 'loads.txt');
  const r = spawnSync(
    process.execPath,
    ['--import', join(root, 'test', 'support', 'record-loads.mjs'), join(root, 'bin', 'metricdrop.mjs'), ...args, '--home', dir],
    { cwd: root, encoding: 'utf8', env: { ...process.env, METRICDROP_LOADS: loads }, timeout: 60_000 },
  );
  const chunks = readFileSync(loads, 'utf8')
    .split('\n')
    .filter((url) => url.startsWith('file:') && url.includes('/dist-cli/'))
    .map((url) => relative(root, fileURLToPath(url)));
  for (const chunk of chunks) expect(outputs[chunk], `${chunk} is an output of this tree's bundle`).toBeDefined();
  const inputs = chunks.flatMap((c) => Object.keys(outputs[c]!.inputs));
  const packages = [...new Set(inputs.flatMap((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(i)?.[1] ?? []))].sort();
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, inputs, packages };
}

/** What the upload part, a workbook, a zip and a legacy code page each need, and reading a UTF-8 CSV does not. */
const UPLOAD = ['@supabase/supabase-js', 'ws'];
const ZIP_AND_XML = ['saxes', 'yauzl'];
const CODE_PAGES = ['chardet', 'iconv-lite'];

describe('what the command line loads, as a process', () => {
  it('validates a UTF-8 CSV with the reader and papaparse only: no upload part, zip or XML reader, or code pages', async () => {
    const csv = await run(['validate', fixture('meta/ad-daily-german.csv'), '--json']);
    expect(csv.stderr).toBe('');
    expect(csv.status).toBe(0);
    expect(ValidateReport.parse(JSON.parse(csv.stdout)).read?.encoding).toBe('utf-8');
    expect(csv.inputs).toContain('electron/engine/read/decode.ts');
    expect(csv.packages).toContain('papaparse');
    expect(csv.packages.filter((p) => [...UPLOAD, ...ZIP_AND_XML, ...CODE_PAGES].includes(p))).toEqual([]);
  });

  it('loads supabase-js for whoami', async () => {
    const whoami = await run(['whoami']);
    expect(whoami.packages).toContain('@supabase/supabase-js');
  });

  it('loads iconv-lite and chardet for a Shift_JIS or Windows-1252 file', async () => {
    for (const [name, encoding] of [
      ['encodings/tiktok-campaign-daily-shift-jis.csv', 'shift_jis'],
      ['encodings/meta-campaign-daily-windows-1252.csv', 'windows-1252'],
    ] as const) {
      const legacy = await run(['validate', fixture(name), '--json']);
      expect(legacy.stderr, name).toBe('');
      expect(legacy.status, name).toBe(0);
      expect(legacy.inputs, name).toContain('electron/engine/read/decode.ts');
      expect(ValidateReport.parse(JSON.parse(legacy.stdout)).read?.encoding).toBe(encoding);
      expect(
        legacy.packages.filter((p) => CODE_PAGES.includes(p)),
        name,
      ).toEqual(CODE_PAGES);
    }
  });

  it('loads the zip and XML readers for an .xlsx workbook, and the zip reader for a .zip', async () => {
    const xlsx = await run(['validate', fixture('xlsx/meta-adset-daily-raw-data-report.xlsx')]);
    expect(xlsx.status).toBe(0);
    expect(xlsx.packages.filter((p) => ZIP_AND_XML.includes(p))).toEqual(ZIP_AND_XML);
    const zip = await run(['validate', fixture('zip/two-exports-one-with-row-errors.zip')]);
    // Exit code 1: one of the two exports in it has row errors.
    expect(zip.status).toBe(1);
    expect(zip.packages).toContain('yauzl');
    expect(zip.packages.filter((p) => UPLOAD.includes(p))).toEqual([]);
  });
});
