#!/usr/bin/env node
// Entry for `npx metricdrop`: runs the compiled command line (dist-cli/, built by `npm install` through
// `prepare`, or `npm run build:cli`). Where it was never built, it is built once here first.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist-cli/metricdrop.mjs', import.meta.url);
if (!existsSync(bundle)) {
  try {
    process.stderr.write('metricdrop: building the command line first (npm run build:cli)…\n');
    const { buildCli } = await import('../scripts/build-cli.mjs');
    await buildCli();
  } catch (err) {
    process.stderr.write(
      `metricdrop: the command line is not built and cannot be built here (${err instanceof Error ? err.message : String(err)}). Run: npm install\n`,
    );
    process.exit(70);
  }
}
const { runCli } = await import(bundle.href);
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  rowRecorder: new URL('../dist-cli/record-worker.mjs', import.meta.url),
});
// The command is done: its output written, the store closed, the recording thread ended. Exiting now,
// once what standard output and error still buffer is flushed, spares the wait for Node to close every
// handle on its own (about 15 ms after a validation of 100,000 rows).
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
process.exit(code);
