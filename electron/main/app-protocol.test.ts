import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_CSP, handleAppRequest } from './app-protocol.ts';

const parent = mkdtempSync(join(tmpdir(), 'md-proto-'));
const root = join(parent, 'dist-renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>metricdrop</title>');
writeFileSync(join(root, 'assets', 'index.js'), 'export {}');
writeFileSync(join(parent, 'main.js'), 'secret main process code');

const get = (url: string, method = 'GET') => handleAppRequest(root, { url, method });

describe('the app:// protocol (item 18)', () => {
  it('serves the bundle with the CSP header, connect-src none', async () => {
    const res = await get('app://metricdrop/index.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>metricdrop</title>');
    expect(res.headers.get('content-security-policy')).toBe(ELECTRON_CSP);
    expect(ELECTRON_CSP).toContain("connect-src 'none'");
    expect((await get('app://metricdrop/')).status).toBe(200);
    expect((await get('app://metricdrop/assets/index.js')).headers.get('content-type')).toMatch(/javascript/);
  });

  it.each([
    'app://metricdrop/..%2fmain.js',
    'app://metricdrop/%2e%2e%2fmain.js',
    'app://metricdrop/assets/..%2f..%2fmain.js',
    'app://metricdrop/..%5cmain.js',
    'app://metricdrop/../main.js',
    'app://metricdrop/missing.js',
    'app://other/index.html',
  ])('answers 404 for %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://metricdrop/index.html', 'POST')).status).toBe(404);
  });
});
