// Finds the Chromium the browser tests drive, on Linux, macOS or Windows, in this order:
//   1. the path in METRICDROP_CHROMIUM (a configured browser is used as it is, or reported missing);
//   2. the usual places of an installed Chrome, Chromium or (Windows) Edge;
//   3. Playwright's own download (in its cache, else `playwright-core install chromium` where the
//      network allows; it needs the internet);
//   4. as root on Debian/Ubuntu: `apt-get install chromium`.
// When none can be had it says, in one sentence, how to get one; it never throws, so the tests that
// need no browser still run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where an installed Chrome or Chromium usually is, per platform. */
export function systemBrowserPaths(platform = process.platform, env = process.env, home = homedir()) {
  if (platform === 'darwin') {
    const apps = [
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Chromium.app/Contents/MacOS/Chromium',
      'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ];
    return [...apps.map((a) => `/Applications/${a}`), ...apps.map((a) => join(home, 'Applications', a))];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean);
    const exes = [
      'Google\\Chrome\\Application\\chrome.exe',
      'Chromium\\Application\\chrome.exe',
      'Microsoft\\Edge\\Application\\msedge.exe',
    ];
    return roots.flatMap((r) => exes.map((e) => `${r}\\${e}`));
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
  ];
}

const HOW_TO_GET_ONE =
  'install Google Chrome or Chromium (Debian/Ubuntu: `sudo apt-get install chromium`), or run `npx playwright-core install chromium` where the internet is reachable, or set METRICDROP_CHROMIUM to a Chrome/Chromium executable';

/** Playwright's downloaded Chromium, if it is in Playwright's cache. */
function playwrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const path = require('playwright-core').chromium.executablePath();
    return path && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function log(message) {
  console.error(`[metricdrop] ${message}`);
}

/**
 * `{ path }` of a browser, or `{ problem }`: one sentence saying how to get one.
 * `install: false` only looks; `install: true` may download Playwright's build or apt-get Debian's.
 */
export function findChromium({
  install = false,
  env = process.env,
  platform = process.platform,
  exists = existsSync,
  playwright = playwrightChromium,
} = {}) {
  const configured = env.METRICDROP_CHROMIUM;
  if (configured) {
    return exists(configured)
      ? { path: configured }
      : {
          problem: `No browser for the UI tests: METRICDROP_CHROMIUM is ${configured}, which does not exist; point it at a Chrome/Chromium executable or unset it.`,
        };
  }
  const system = systemBrowserPaths(platform, env).find((p) => exists(p));
  if (system) return { path: system };
  const cached = playwright();
  if (cached) return { path: cached };
  if (install) {
    log("no Chrome/Chromium found; trying Playwright's download of Chromium (needs the internet)…");
    const cli = join(createRequire(import.meta.url).resolve('playwright-core/package.json'), '..', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'install', 'chromium'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
    const downloaded = r.status === 0 ? playwright() : null;
    if (downloaded) return { path: downloaded };
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (platform === 'linux' && isRoot && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0) {
      log("installing Debian's chromium with apt-get for the browser tests…");
      const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
      for (const args of [['update'], ['install', '-y', 'chromium', 'fonts-dejavu-core']]) {
        const a = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: aptEnv });
        if (a.status !== 0) break;
      }
      const apt = systemBrowserPaths(platform, env).find((p) => exists(p));
      if (apt) return { path: apt };
    }
  }
  return { problem: `No browser for the UI tests: ${HOW_TO_GET_ONE}.` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = findChromium({ install: true });
  if ('path' in found) console.log(found.path);
  else {
    console.error(found.problem);
    process.exit(1);
  }
}
