import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
// @ts-expect-error plain .mjs without types
import { cliBuildOptions } from '../../scripts/build-cli.mjs';

const root = join(import.meta.dirname, '..', '..');

/** The source files each output of the command line's bundle holds, and the outputs it imports before it runs. */
async function bundleGraph(): Promise<Metafile['outputs']> {
  const options = cliBuildOptions('/tmp/metricdrop-bundle-graph');
  const result = await build({ ...options, metafile: true, write: false, minify: false, logLevel: 'silent' });
  return result.metafile!.outputs;
}

/** Every source file loaded with `output` before any of its code runs (its static imports, transitively). */
function loadedWith(outputs: Metafile['outputs'], output: string): string[] {
  const seen = new Set<string>();
  const stack = [output];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (seen.has(o)) continue;
    seen.add(o);
    for (const i of outputs[o]!.imports) if (i.kind === 'import-statement' && outputs[i.path]) stack.push(i.path);
  }
  return [...seen].flatMap((o) => Object.keys(outputs[o]!.inputs));
}

describe('the compiled command line', () => {
  it('answers --help and wrong usage without loading the engine, zod or supabase-js', async () => {
    const outputs = await bundleGraph();
    const entry = Object.keys(outputs).find((o) => o.endsWith('/metricdrop.mjs'))!;
    const first = loadedWith(outputs, entry);
    expect(first).toContain('electron/cli/commands/validate.ts');
    expect(first.filter((f) => f.includes('node_modules/'))).toEqual([]);
    expect(first.filter((f) => f.startsWith('electron/engine/') && f !== 'electron/engine/store/home.ts')).toEqual([]);
    expect(first.filter((f) => f.startsWith('electron/cli/actions/'))).toEqual([]);
  });

  it('validates, lists the history and the saved mappings without loading the upload part (supabase-js, ws)', async () => {
    const outputs = await bundleGraph();
    const entry = Object.keys(outputs).find((o) => o.endsWith('/metricdrop.mjs'))!;
    const dynamic = (o: string) => outputs[o]!.imports.filter((i) => i.kind === 'dynamic-import' && outputs[i.path]).map((i) => i.path);
    // What main.ts imports for a command that uses only the validate part, and what that command's action imports.
    const allDynamic = [...new Set(Object.keys(outputs).flatMap(dynamic))];
    const importedFor = (input: string) =>
      allDynamic.filter((o) => {
        const files = loadedWith(outputs, o);
        return files.includes(input) && !files.includes('electron/engine/index.ts');
      });
    const loaded = [
      'electron/engine/validation.ts',
      'electron/engine/deps.ts',
      'electron/engine/store/open.ts',
      'electron/cli/actions/validate.ts',
      'electron/engine/validate/issues-csv.ts',
    ].flatMap((input) => {
      const targets = importedFor(input);
      expect(targets, input).not.toEqual([]);
      return targets.flatMap((o) => loadedWith(outputs, o));
    });
    expect(loaded).toContain('electron/engine/validate/index.ts');
    expect(loaded.filter((f) => /node_modules\/(@supabase|ws)\//.test(f))).toEqual([]);
    expect(loaded.filter((f) => f.startsWith('electron/engine/upload/') && !f.endsWith('/session.ts'))).toEqual([]);
    // The upload commands still have it.
    const whole = dynamic(entry).filter((o) => loadedWith(outputs, o).includes('electron/engine/index.ts'));
    expect(whole.flatMap((o) => loadedWith(outputs, o)).some((f) => f.includes('node_modules/@supabase/'))).toBe(true);
  });

  it('validating a UTF-8 file loads neither iconv-lite nor chardet; a Shift_JIS or Windows-1252 file loads both', async () => {
    // The outputs of dist-cli/, which test/support/cli-setup.ts built from this tree with these same options.
    const result = await build({ ...cliBuildOptions(), metafile: true, write: false, logLevel: 'silent' });
    const outputs = result.metafile!.outputs;
    const dir = mkdtempSync(join(tmpdir(), 'metricdrop-bundle-load-'));
    const log = join(dir, 'loaded.txt');
    // Every module file the process loads, as the ES module loader loads it (bundled chunks included).
    writeFileSync(
      join(dir, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';\n` +
        `export async function load(url, context, next) {\n` +
        `  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n` +
        `  return next(url, context);\n}\n`,
    );
    writeFileSync(
      join(dir, 'register.mjs'),
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
    );

    /** The source files the bundled command line loads to validate `fixture`, and the encoding it read. */
    const validate = (fixture: string) => {
      writeFileSync(log, '');
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          pathToFileURL(join(dir, 'register.mjs')).href,
          join(root, 'bin', 'metricdrop.mjs'),
          'validate',
          join('test', 'fixtures', fixture),
          '--json',
        ],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, METRICDROP_HOME: mkdtempSync(join(tmpdir(), 'metricdrop-bundle-home-')) },
          timeout: 60_000,
        },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const chunks = readFileSync(log, 'utf8')
        .split('\n')
        .filter((url) => url.includes('/dist-cli/'))
        .map((url) => relative(process.cwd(), fileURLToPath(url)));
      for (const chunk of chunks) expect(outputs[chunk], `${chunk} is an output of this tree's bundle`).toBeDefined();
      const inputs = chunks.flatMap((c) => Object.keys(outputs[c]!.inputs));
      expect(inputs).toContain('electron/engine/read/decode.ts');
      return { encoding: ValidateReport.parse(JSON.parse(r.stdout)).read?.encoding, inputs };
    };
    const packages = (inputs: string[]) => ['iconv-lite', 'chardet'].filter((p) => inputs.some((i) => i.includes(`node_modules/${p}/`)));

    const utf8 = validate('meta/ad-daily-summary-row.csv');
    expect(utf8.encoding).toBe('utf-8');
    expect(packages(utf8.inputs)).toEqual([]);
    for (const [fixture, encoding] of [
      ['encodings/tiktok-campaign-daily-shift-jis.csv', 'shift_jis'],
      ['encodings/meta-campaign-daily-windows-1252.csv', 'windows-1252'],
    ] as const) {
      const legacy = validate(fixture);
      expect(legacy.encoding).toBe(encoding);
      expect(packages(legacy.inputs)).toEqual(['iconv-lite', 'chardet']);
    }
  });
});
