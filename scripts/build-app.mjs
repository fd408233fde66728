// Builds the desktop app: the renderer with Vite into dist-renderer/, the Electron main process, the
// engine host (run by main as a utility process) and the preload with esbuild into dist-electron/
// (CommonJS, as Electron loads them).
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build as esbuild } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the window into dist-renderer/, or into `outDir` (tests build their own copy). */
export async function buildRenderer(outDir) {
  const { build } = await import('vite');
  // A production build also when called from a test run (vitest sets NODE_ENV=test, which would
  // make the React plugin emit development JSX calls).
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(ROOT, 'renderer/vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}),
    });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** Native or optional modules stay outside the bundle and are loaded from node_modules. */
const EXTERNAL = ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate'];

/** The files `buildElectron` writes, relative to its output folder (electron-builder packs them all). */
export const ELECTRON_OUTPUTS = ['main.cjs', 'host.cjs', 'preload.cjs'];

/** Builds dist-electron/, or `outDir` (tests build their own copy). */
export async function buildElectron(outDir = join(ROOT, 'dist-electron')) {
  const common = { bundle: true, format: 'cjs', target: 'node22', sourcemap: false, logLevel: 'warning', legalComments: 'none' };
  await esbuild({
    ...common,
    platform: 'node',
    entryPoints: [join(ROOT, 'electron/main/main.ts')],
    outfile: join(outDir, 'main.cjs'),
    external: EXTERNAL,
  });
  // The engine, its store and the handlers: never imports electron (it talks to main by messages).
  await esbuild({
    ...common,
    platform: 'node',
    entryPoints: [join(ROOT, 'electron/host/process/entry.ts')],
    outfile: join(outDir, 'host.cjs'),
    external: EXTERNAL,
  });
  // The preload runs sandboxed: it may require only `electron`, so everything else is bundled.
  await esbuild({
    ...common,
    platform: 'browser',
    entryPoints: [join(ROOT, 'electron/preload/index.ts')],
    outfile: join(outDir, 'preload.cjs'),
    external: ['electron'],
  });
}

export async function buildAll() {
  await buildRenderer();
  await buildElectron();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll();
  console.log('built dist-renderer/ and dist-electron/');
}
