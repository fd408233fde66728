import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { findChromium, systemBrowserPaths } from '../../scripts/ensure-chromium.mjs';

type Found = { path: string } | { problem: string };
const find = (opts: { env?: Record<string, string>; platform: string; present: string[]; playwright?: string | null }): Found =>
  findChromium({
    install: false,
    env: opts.env ?? {},
    platform: opts.platform,
    exists: (p: string) => opts.present.includes(p),
    playwright: () => opts.playwright ?? null,
  });

describe('finding a browser for the UI tests', () => {
  it('uses the configured path first, and says so when it points at nothing', () => {
    expect(
      find({ env: { METRICDROP_CHROMIUM: '/opt/my/chrome' }, platform: 'linux', present: ['/opt/my/chrome', '/usr/bin/chromium'] }),
    ).toEqual({ path: '/opt/my/chrome' });
    const missing = find({ env: { METRICDROP_CHROMIUM: '/opt/gone' }, platform: 'linux', present: ['/usr/bin/chromium'] });
    expect(missing).toEqual({
      problem: expect.stringMatching(/^No browser for the UI tests: METRICDROP_CHROMIUM is \/opt\/gone, which does not exist/),
    });
  });

  it('finds the usual system browser on Linux, macOS and Windows', () => {
    expect(find({ platform: 'linux', present: ['/usr/bin/google-chrome'] })).toEqual({ path: '/usr/bin/google-chrome' });
    expect(find({ platform: 'darwin', present: ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'] })).toEqual({
      path: '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    });
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(find({ platform: 'win32', env: { 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)' }, present: [edge] })).toEqual({ path: edge });
    expect(systemBrowserPaths('win32', { LOCALAPPDATA: 'C:\\Users\\m\\AppData\\Local' }, 'C:\\Users\\m')).toContain(
      'C:\\Users\\m\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    );
  });

  it("falls back to Playwright's downloaded Chromium, then to one sentence saying how to get a browser", () => {
    expect(find({ platform: 'darwin', present: [], playwright: '/cache/ms-playwright/chromium/chrome' })).toEqual({
      path: '/cache/ms-playwright/chromium/chrome',
    });
    const none = find({ platform: 'darwin', present: [] }) as { problem: string };
    expect(none.problem).toMatch(/^No browser for the UI tests: install Google Chrome or Chromium .*METRICDROP_CHROMIUM.*\.$/);
    expect(none.problem.split('. ')).toHaveLength(1);
  });
});
