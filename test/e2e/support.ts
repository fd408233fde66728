import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';
import type {} from '../support/browser-setup.ts'; // its ProvidedContext: chromiumPath, chromiumProblem
// @ts-expect-error plain .mjs without types
import { buildRenderer } from '../../scripts/build-app.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENS = join(ROOT, 'test-results', 'screens');

/** The window built once per test file into its own folder (test files run in parallel). */
export async function buildWindow(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'md-renderer-'));
  await buildRenderer(dir);
  return dir;
}

export interface WebApp {
  url: string;
  link: string;
  /** The engine host's process (a child of the web bridge), as first started. */
  enginePid: number;
  child: ChildProcess;
  output(): string;
  /** Stops the bridge: SIGTERM, or SIGKILL to simulate a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `npm run web` as a child process (so a test can kill it mid-upload), ready when its info file appears. */
export async function startWeb(opts: { home: string; rendererDir: string; env?: Record<string, string> }): Promise<WebApp> {
  const info = join(mkdtempSync(join(tmpdir(), 'md-webinfo-')), 'web.json');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'electron/web/main.ts'), '--home', opts.home, '--info', info, '--renderer-dir', opts.rendererDir],
    { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !existsSync(info); i++) {
    if (child.exitCode !== null || child.signalCode !== null || i > 600) throw new Error(`npm run web did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const { url, link, enginePid } = JSON.parse(readFileSync(info, 'utf8')) as { url: string; link: string; enginePid: number };
  return {
    url,
    link,
    enginePid,
    child,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The browser test/support/browser-setup.ts found; without one, fails with the sentence saying how to get one. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = inject('chromiumPath');
  if (executablePath === null) throw new Error(inject('chromiumProblem'));
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every console error, uncaught exception and CSP violation of a page, for "no console errors". */
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  return problems;
}

/** Saves a screen for review under test-results/screens/. */
export async function saveScreen(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });
}

/** Drops files on the drop zone the way a browser does: a real drop event carrying a DataTransfer. */
export async function dropFiles(page: Page, files: { name: string; path: string }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, b64: readFileSync(f.path).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], item.name, { type: 'text/csv' }));
    }
    return dt;
  }, payload);
  await page.dispatchEvent('[data-testid=dropzone]', 'dragover', { dataTransfer });
  await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer });
}

export function fixture(rel: string): { name: string; path: string } {
  const path = join(ROOT, 'test/fixtures', rel);
  return { name: rel.split('/').pop()!, path };
}
