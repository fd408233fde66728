import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMetaExport } from '../../bench/make-meta-export.ts';
import { createEventHub } from '../host/events.ts';
import { childProcessHost } from '../host/process/child.ts';
import { createHostClient, type HostClient } from '../host/process/client.ts';
import { SECRET_HEADER, startBridge, type Bridge } from './server.ts';

/**
 * The web bridge as `npm run web` arranges it: the page and the contract served by this process, the
 * engine in a child process. While the engine reads, checks and records a large file, the bridge
 * still serves the page: a request sent after the engine took the file is answered first.
 */
const SECRET = 'c'.repeat(64);
const logger = { error() {}, warn() {}, info() {} };
let host: HostClient;
let bridge: Bridge;
let bigFile = '';
let validateReachedEngine!: () => void;
const reached = new Promise<void>((resolve) => (validateReachedEngine = resolve));

beforeAll(async () => {
  const home = mkdtempSync(join(tmpdir(), 'md-bridge-engine-'));
  bigFile = join(home, 'meta-big.csv');
  // Long enough to validate (a tenth of a second here) that the page is seen served meanwhile.
  await makeMetaExport(bigFile, 10_000);
  const hub = createEventHub();
  host = createHostClient({
    spawn: () => {
      const child = childProcessHost();
      return {
        ...child,
        post: (m) => {
          child.post(m);
          if (m.t === 'call' && m.channel === 'files:validate') validateReachedEngine();
        },
      };
    },
    config: { home, shell: 'web', version: 'test', secretStore: 'file', session: 'file', incomingDir: join(home, 'incoming') },
    logger,
    onEvent: (event, payload) => hub.emit(event, payload as never),
  });
  bridge = await startBridge({
    handlers: host.handlers,
    hub,
    registerFile: host.registerFile,
    staticRoot: join(import.meta.dirname, '../../renderer'),
    incomingDir: join(home, 'incoming'),
    secret: SECRET,
    logger,
  });
}, 120_000);
afterAll(async () => {
  await bridge?.close();
  await host?.close();
});

describe('the web bridge over the engine host', () => {
  it('serves the page while the engine validates a 10,000-row file sent by the browser', async () => {
    const headers = { [SECRET_HEADER]: SECRET };
    const sent = await fetch(`${bridge.url}/files?name=meta-big.csv`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(statSync(bigFile).size) },
      body: readFileSync(bigFile),
    });
    const ref = ((await sent.json()) as { ok: true; value: { token: string }[] }).value[0]!;
    const order: string[] = [];
    const validate = fetch(`${bridge.url}/ipc/files:validate`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ token: ref.token }),
    }).then(async (r) => {
      order.push('validate');
      return (await r.json()) as { ok: boolean; value: { rows: { valid: number } } };
    });
    await reached;
    const page = await fetch(`${bridge.url}/index.html`);
    order.push(`page ${page.status}`);
    const report = await validate;
    expect(report.ok).toBe(true);
    expect(report.value.rows.valid).toBe(10_000);
    expect(order).toEqual(['page 200', 'validate']);
  }, 120_000);
});
