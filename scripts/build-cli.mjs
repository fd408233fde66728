// Builds the command line (`npx metricdrop`) into JavaScript, dist-cli/metricdrop.mjs plus the chunks
// it loads when a command runs (help and usage errors load only the first), so it starts at once: no
// TypeScript compiled at run time. Run by `npm install` (prepare), before the tests that spawn it
// (test/support/cli-setup.ts), and by hand with `npm run build:cli`. better-sqlite3 is native and
// stays in node_modules; ws's optional native helpers likewise.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = join(ROOT, 'dist-cli', 'metricdrop.mjs');
/** The thread the CLI records a validation's rows on while the file is read (beside CLI_BUNDLE). */
export const RECORD_WORKER = join(ROOT, 'dist-cli', 'record-worker.mjs');

/** esbuild's options for the bundle (also used by test/cli/bundle.test.ts to look at what loads when). */
export function cliBuildOptions(outdir = dirname(CLI_BUNDLE)) {
  return {
    // The thread that records a validation's rows while the file is read (electron/engine/record/).
    entryPoints: { metricdrop: join(ROOT, 'electron/cli/main.ts'), 'record-worker': join(ROOT, 'electron/engine/record/worker.ts') },
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'bufferutil', 'utf-8-validate'],
    // Bundled CommonJS packages (papaparse, ws, …) call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __metricdropRequire } from 'node:module'; const require = __metricdropRequire(import.meta.url);",
    },
    minify: process.env.METRICDROP_NO_MINIFY !== '1',
    legalComments: 'none',
    logLevel: 'warning',
    write: false,
    outdir,
  };
}

/**
 * Builds the bundle into `outdir`. Chunks are named by their content; the entry is written aside and
 * renamed last, so a CLI started meanwhile never reads half a file or misses a chunk.
 */
export async function buildCli(outdir = dirname(CLI_BUNDLE)) {
  const result = await build(cliBuildOptions(outdir));
  const entry = join(outdir, 'metricdrop.mjs');
  const chunkDir = join(outdir, 'chunks');
  const chunks = result.outputFiles.filter((f) => dirname(f.path) === chunkDir);
  for (const f of chunks) {
    mkdirSync(dirname(f.path), { recursive: true });
    if (!existsSync(f.path)) writeAside(f.path, f.contents);
  }
  // The other entries (the recording thread) are not named by content: always written, before the CLI's.
  for (const f of result.outputFiles) if (f.path !== entry && !chunks.includes(f)) writeAside(f.path, f.contents);
  writeAside(entry, result.outputFiles.find((f) => f.path === entry).contents);
  // Chunks of earlier builds are no longer referenced.
  const current = new Set(chunks.map((f) => basename(f.path)));
  for (const name of existsSync(chunkDir) ? readdirSync(chunkDir) : [])
    if (!current.has(name) && !name.endsWith('.tmp')) rmSync(join(chunkDir, name), { force: true });
  return entry;
}

function writeAside(path, contents) {
  const aside = `${path}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, path);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildCli();
}
