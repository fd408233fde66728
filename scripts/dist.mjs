// `npm run dist`: builds the app, then the installers with electron-builder (electron-builder.yml):
// Windows nsis, macOS dmg, Linux AppImage and deb. Extra arguments go to electron-builder
// (e.g. `npm run dist -- --linux deb`). Needs the Electron binary for the target platform (downloaded
// by electron-builder) and, on Windows/macOS, that platform to build its installer.
import { spawnSync } from 'node:child_process';
import { buildAll, ROOT } from './build-app.mjs';

await buildAll();
const r = spawnSync('npx', ['electron-builder', '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
