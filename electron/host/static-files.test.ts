import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBundlePath, serveBundleFile } from './static-files.ts';

function bundle() {
  const parent = mkdtempSync(join(tmpdir(), 'md-bundle-'));
  const root = join(parent, 'dist-renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>metricdrop</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(parent, 'secret.txt'), 'outside the bundle');
  writeFileSync(join(parent, 'secret.js'), 'outside the bundle');
  return { parent, root };
}

describe('bundle path resolution', () => {
  const { root } = bundle();
  it.each([
    '/../secret.js',
    '/..%2fsecret.js',
    '/%2e%2e/secret.js',
    '/%2e%2e%2fsecret.js',
    '/assets/..%2f..%2fsecret.js',
    '/..%5csecret.js',
    '/a%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (p) => {
    expect(resolveBundlePath(root, p)).toBeNull();
  });
  it('maps / to index.html and keeps paths inside the bundle', () => {
    expect(resolveBundlePath(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveBundlePath(root, '/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
  });
});

describe('serving the bundle', () => {
  const { root } = bundle();
  const headers = { 'Content-Security-Policy': "default-src 'self'" };
  it('serves a bundle file with its type and the security headers', async () => {
    const r = await serveBundleFile(root, '/assets/app.js', headers);
    expect(r.status).toBe(200);
    expect(r.headers['Content-Type']).toMatch(/javascript/);
    expect(r.headers['Content-Security-Policy']).toBe("default-src 'self'");
    expect(Buffer.from(r.body).toString()).toBe('console.log(1)');
  });
  it('answers 404 for traversal and for files that do not exist', async () => {
    expect((await serveBundleFile(root, '/..%2fsecret.js', headers)).status).toBe(404);
    expect((await serveBundleFile(root, '/nope.js', headers)).status).toBe(404);
    expect((await serveBundleFile(root, '/assets/', headers)).status).toBe(404);
  });
});
