import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { cliBuildOptions } from '../../scripts/build-cli.mjs';

// The command line's bundle as esbuild lays it out: what loads first, and what each command imports.
// What a running process loads is test/cli/loads.test.ts.

let graph: Promise<Metafile['outputs']> | undefined;
/** The source files each output of the command line's bundle holds, and the outputs it imports before it runs (built once for the file). */
function bundleGraph(): Promise<Metafile['outputs']> {
  graph ??= build({
    ...cliBuildOptions('/tmp/metricdrop-bundle-graph'),
    metafile: true,
    write: false,
    minify: false,
    logLevel: 'silent',
  }).then((r) => r.metafile!.outputs);
  return graph;
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
});
