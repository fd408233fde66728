import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../host/events.ts';
import { createFileRegistry, registerFile as registerIn } from '../host/files.ts';
import type { AnyHandler } from '../host/result.ts';
import { SECRET_HEADER, startBridge, type Bridge } from './server.ts';

const SECRET = 'a'.repeat(64);
const logger = { error() {}, warn() {}, info() {} };
const hub = createEventHub();
const files = createFileRegistry();
const registerFile = (f: { path: string; name: string; bytes: number }) => registerIn(files, f);
let bridge: Bridge;
let incoming: string;

function raw(opts: {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: bridge.port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const ipc = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${bridge.url}/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET, ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-bridge-'));
  const root = join(dir, 'dist-renderer');
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>metricdrop</title>');
  writeFileSync(join(dir, 'outside.js'), 'secret');
  incoming = join(dir, 'incoming');
  const handlers = {
    'app:info': (async () => {
      hub.emit('uploads:progress', {
        uploadId: '00000000-0000-4000-8000-000000000001',
        mode: 'COMMIT',
        stage: 'stage',
        done: 1,
        total: 2,
        rowsPerSecond: 10,
        etaSeconds: 1,
      });
      return { shell: 'web', version: 'test' };
    }) as AnyHandler,
  };
  bridge = await startBridge({ handlers, hub, registerFile, staticRoot: root, incomingDir: incoming, secret: SECRET, logger });
});
afterAll(() => bridge.close());

describe('web bridge: the page', () => {
  it('serves the bundle from 127.0.0.1 with the CSP and nosniff headers', async () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${bridge.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>metricdrop</title>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for paths outside the bundle, however encoded', async () => {
    for (const p of ['/..%2foutside.js', '/%2e%2e%2foutside.js', '/..%5coutside.js']) {
      expect((await raw({ path: p })).status).toBe(404);
    }
  });

  it('refuses a request for another Host (DNS rebinding) and a cross-origin call', async () => {
    expect((await raw({ path: '/', headers: { host: 'evil.example:80' } })).status).toBe(421);
    const res = await raw({
      path: '/ipc/app:info',
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', [SECRET_HEADER]: SECRET },
      body: '{}',
    });
    expect(res.status).toBe(403);
  });
});

describe('web bridge: the IPC contract over HTTP', () => {
  it('runs a handler and answers the envelope when the per-start secret is given', async () => {
    const res = await ipc('app:info', {});
    expect(await res.json()).toEqual({ ok: true, value: { shell: 'web', version: 'test' } });
  });

  it('refuses calls without the secret or with a wrong one (401), and form posts (415)', async () => {
    expect((await ipc('app:info', {}, { [SECRET_HEADER]: 'b'.repeat(64) })).status).toBe(401);
    const noSecret = await fetch(`${bridge.url}/ipc/app:info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noSecret.status).toBe(401);
    const form = await fetch(`${bridge.url}/ipc/app:info`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', [SECRET_HEADER]: SECRET },
      body: '{}',
    });
    expect(form.status).toBe(415);
  });

  it('validates input and refuses channels the bridge does not serve', async () => {
    expect(await (await ipc('app:info', { extra: 1 })).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await (await ipc('files:pick', {})).json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('stores an uploaded file under its own folder and answers a token, never the path', async () => {
    const body = 'Day,Campaign name\n2025-09-01,<img src=x onerror=alert(1)>\n';
    const res = await fetch(`${bridge.url}/files?name=${encodeURIComponent('../../meta sept.csv')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', [SECRET_HEADER]: SECRET },
      body,
    });
    const r = (await res.json()) as { ok: true; value: { token: string; name: string; bytes: number }[] };
    expect(r.ok).toBe(true);
    const ref = r.value[0]!;
    expect(ref).toMatchObject({ name: 'meta sept.csv', bytes: Buffer.byteLength(body) });
    expect(JSON.stringify(r)).not.toContain(incoming);
    const stored = files.get(ref.token).path;
    expect(stored.startsWith(incoming)).toBe(true);
    expect(readFileSync(stored, 'utf8')).toContain('<img src=x onerror=alert(1)>');
  });

  it('refuses a file that is not an export, or larger than 50 MB before reading it', async () => {
    const exe = await fetch(`${bridge.url}/files?name=setup.exe`, { method: 'POST', headers: { [SECRET_HEADER]: SECRET }, body: 'MZ' });
    expect(await exe.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_FORMAT' } });
    const big = await raw({
      path: '/files?name=big.csv',
      method: 'POST',
      headers: { [SECRET_HEADER]: SECRET, 'content-length': String(51 * 1024 * 1024) },
    });
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE' } });
  });

  it('stops reading a streamed upload at the limit and leaves nothing behind', async () => {
    const small = await startBridge({
      handlers: {},
      hub,
      registerFile,
      staticRoot: incoming,
      incomingDir: join(incoming, 'small'),
      secret: SECRET,
      logger,
      maxFileBytes: 1000,
    });
    try {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(500).fill(65));
          c.close();
        },
      });
      const res = await fetch(`${small.url}/files?name=big.csv`, {
        method: 'POST',
        headers: { [SECRET_HEADER]: SECRET },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FILE_TOO_LARGE' } });
      expect(readdirSync(join(incoming, 'small'))).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('streams progress events to a subscriber that has the secret', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${bridge.url}/events`, { headers: { [SECRET_HEADER]: SECRET }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read(); // ": connected"
    await ipc('app:info', {});
    let text = '';
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
    expect(text).toContain('event: uploads:progress');
    expect(text).toContain('"rowsPerSecond":10');
    ctrl.abort();
    expect((await fetch(`${bridge.url}/events`)).status).toBe(401);
  });
});
