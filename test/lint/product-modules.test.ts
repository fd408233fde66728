import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { namedSourcePaths, reachableFrom } from './import-graph.ts';

// Test helpers live under test/, never in product folders: every module of electron/, shared/ and
// renderer/ (tests aside) must be reached from something a user or developer runs: the bundles'
// entry points (scripts/build-*.mjs), the window's main.tsx, and the package.json scripts outside
// test/ (the bench, the corpus run). A module reached only from tests is a test helper or dead code.
const root = fileURLToPath(new URL('../..', import.meta.url));

function runEntryPoints(): string[] {
  const buildScripts = ['scripts/build-app.mjs', 'scripts/build-cli.mjs'];
  const named = buildScripts.flatMap((s) => namedSourcePaths(readFileSync(join(root, s), 'utf8')));
  const scripts = Object.values(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
  );
  return [...buildScripts, ...named, 'renderer/main.tsx', ...scripts.flatMap(namedSourcePaths)];
}

function productModules(): string[] {
  return execFileSync('git', ['ls-files', 'electron', 'shared', 'renderer'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('vite.config.ts'));
}

describe('product folders hold product code only', () => {
  it('reaches every module of electron/, shared/ and renderer/ from what the project runs', () => {
    const reached = reachableFrom(root, runEntryPoints());
    expect(reached.has('electron/cli/main.ts')).toBe(true);
    expect(reached.has('electron/engine/index.ts')).toBe(true);
    expect(productModules().filter((f) => !reached.has(f))).toEqual([]);
  });

  const scratch = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  function write(path: string, text: string): void {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), text);
  }

  it('follows static, re-exported, side-effect and dynamic imports, and not a module only tests use', () => {
    write(
      'app/main.ts',
      "import { a } from './a.ts';\nexport * from '../lib/b.ts';\nimport './c.ts';\nconst d = await import('./d.ts');\n",
    );
    write('app/a.ts', "import type { T } from './types.ts';\nexport const a = 1;\n");
    write('app/types.ts', 'export type T = number;\n');
    write('lib/b.ts', 'export const b = 2;\n');
    write('app/c.ts', '');
    write('app/d.ts', '');
    write('app/fake-engine.ts', "import { a } from './a.ts';\nexport const fake = a;\n");
    write('app/a.test.ts', "import { fake } from './fake-engine.ts';\n");
    expect([...reachableFrom(scratch, ['app/main.ts'])].sort()).toEqual(
      ['app/a.ts', 'app/c.ts', 'app/d.ts', 'app/main.ts', 'app/types.ts', 'lib/b.ts'].sort(),
    );
  });

  it('reads the source paths a script or build file names', () => {
    expect(namedSourcePaths("entryPoints: [join(ROOT, 'electron/main/main.ts')]")).toEqual(['electron/main/main.ts']);
    expect(namedSourcePaths('tsx bench/run.ts --only parse')).toEqual(['bench/run.ts']);
  });
});
