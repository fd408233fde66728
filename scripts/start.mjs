// `npm start`: builds the app and opens it in Electron. Where the Electron binary is missing (it is
// downloaded by electron's install step, which needs internet), says so and how to get it.
import { existsSync, readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildAll, ROOT } from './build-app.mjs';

/** The Electron executable, found the way `require('electron')` does, but without trying to download it. */
export function electronBinary(root = ROOT, env = process.env) {
  const pkg = join(root, 'node_modules/electron');
  if (!existsSync(join(pkg, 'package.json'))) return { ok: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkg, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    return existsSync(p) ? { ok: true, path: p } : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${relative ?? 'electron'}` };
  }
  if (relative === null)
    return { ok: false, reason: 'the Electron binary was never downloaded (node_modules/electron/path.txt is missing)' };
  const p = join(pkg, 'dist', relative);
  return existsSync(p) ? { ok: true, path: p } : { ok: false, reason: `${p} is missing` };
}

export const MISSING_ELECTRON_HELP = `metricdrop: cannot start the desktop app: the Electron binary is missing.

To get it, on a machine with internet access:
  npx install-electron        (or: rm -rf node_modules/electron && npm install)
or point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an unpacked Electron ${'45'} build.
Then rebuild the native SQLite module for Electron:
  npx electron-builder install-app-deps
(and \`npm rebuild better-sqlite3\` before running \`npm test\` with plain Node again).

Without Electron, the same window runs in a browser:
  npm run web`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = electronBinary();
  if (!bin.ok) {
    console.error(`${MISSING_ELECTRON_HELP}\n\n(${bin.reason})`);
    process.exit(1);
  }
  await buildAll();
  const child = spawn(bin.path, [ROOT, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
