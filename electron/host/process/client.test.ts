import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeMetaExport } from '../../../bench/make-meta-export.ts';
import { SessionInfo, type FileRef } from '../../../shared/ipc-contract.ts';
import { ValidateReport } from '../../../shared/report.ts';
import type { SessionStorage } from '../../engine/upload/session.ts';
import { IpcFailure, toIpcError, type Logger } from '../result.ts';
import { createHostClient, type HostClient } from './client.ts';
import type { FromHost, HostChild, HostConfig, ToHost } from './protocol.ts';
import { childProcessHost } from './child.ts';
import { workerHost } from '../../../test/support/worker-host.ts';
// @ts-expect-error plain .mjs without types
import { buildElectron } from '../../../scripts/build-app.mjs';

/**
 * The engine host protocol over real worker threads running the real host (engine, SQLite store,
 * handlers): calls and answers, the session asked of the window's process, a host that dies mid-call
 * and is replaced, and the window's thread answering while the host works.
 */
const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/meta/ad-daily-summary-row.csv', import.meta.url));
const logs: { level: string; message: string }[] = [];
const logger: Logger = {
  error: (message) => logs.push({ level: 'error', message }),
  warn: (message) => logs.push({ level: 'warn', message }),
  info: (message) => logs.push({ level: 'info', message }),
};

// The hosts run the bundled host.cjs, as the desktop app does, built once for the file: started from
// TypeScript through tsx (as `npm run web` does, which the browser tests cover) each took about a
// second, and these tests start a dozen.
let bigFile = '';
let hostBundle = '';
beforeAll(async () => {
  bigFile = join(mkdtempSync(join(tmpdir(), 'md-hostbig-')), 'meta-big.csv');
  // Long enough to validate (a tenth of a second here) that the window's thread is seen answering meanwhile.
  await makeMetaExport(bigFile, 10_000);
  const appRoot = mkdtempSync(join(tmpdir(), 'md-hostapp-'));
  // The bundle loads better-sqlite3 from the app's node_modules, as in the packaged app.
  symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(appRoot, 'node_modules'), 'dir');
  await buildElectron(join(appRoot, 'dist-electron'));
  hostBundle = join(appRoot, 'dist-electron', 'host.cjs');
}, 120_000);

/**
 * A stand-in host for the client's own bookkeeping (which code ends a call): `ready: false` ends
 * before it is ready; `onCall` dies on its first call or never answers it; `close` ends it.
 */
function fakeHost(opts: { ready?: boolean; onCall?: 'die' | 'hang' }): HostChild {
  const messageListeners: ((m: FromHost) => void)[] = [];
  const exitListeners: ((code: number | null) => void)[] = [];
  let exited = false;
  // Later, never inside post(): the client registers its listeners and assigns its host first.
  const exit = (code: number | null) =>
    setImmediate(() => {
      if (exited) return;
      exited = true;
      for (const l of exitListeners) l(code);
    });
  const send = (m: FromHost) => setImmediate(() => !exited && messageListeners.forEach((l) => l(m)));
  return {
    post(m) {
      if (exited) return;
      if (m.t === 'init') {
        if (opts.ready === false) exit(3);
        else send({ t: 'ready', pid: 1, threadId: 1 });
      } else if (m.t === 'call' && opts.onCall === 'die') exit(1);
      else if (m.t === 'close') {
        send({ t: 'closed' });
        exit(0);
      }
    },
    onMessage: (l) => void messageListeners.push(l),
    onExit: (l) => void exitListeners.push(l),
    kill: () => exit(null),
  };
}

const clients: HostClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** A client over worker hosts; `children` are the hosts it started, `posted` what it sent them. */
function start(
  opts: {
    session?: SessionStorage;
    config?: Partial<HostConfig>;
    onPost?(m: ToHost, child: HostChild): void;
    transport?: 'worker' | 'process';
  } = {},
) {
  const children: HostChild[] = [];
  const events: unknown[] = [];
  const restarts: (number | null)[] = [];
  const config: HostConfig = {
    home: mkdtempSync(join(tmpdir(), 'md-host-')),
    shell: 'web',
    version: 'test',
    secretStore: 'file',
    session: 'file',
    ...opts.config,
  };
  const client = createHostClient({
    spawn: () => {
      const child = opts.transport === 'process' ? childProcessHost(hostBundle) : workerHost(hostBundle);
      const watched: HostChild = {
        ...child,
        post: (m) => {
          child.post(m);
          opts.onPost?.(m, child);
        },
      };
      children.push(watched);
      return watched;
    },
    config,
    ...(opts.session ? { session: opts.session } : {}),
    logger,
    onEvent: (event, payload) => events.push({ event, payload }),
    onRestart: (code) => restarts.push(code),
  });
  clients.push(client);
  return { client, children, events, restarts, config };
}

describe('the engine host in a worker thread or a child process', () => {
  it('runs on its own thread and answers the contract with the envelope, validating a file it registered', async () => {
    const { client } = start();
    const info = await client.ready();
    expect(info.threadId).not.toBe(threadId);
    expect(await client.call('app:info', {})).toEqual({ ok: true, value: { shell: 'web', version: 'test' } });
    const [ref] = await client.registerFile({ path: FIXTURE, name: 'ad-daily-summary-row.csv', bytes: 100 });
    const validated = await client.call('files:validate', { token: ref!.token });
    expect(validated.ok).toBe(true);
    const report = ValidateReport.parse((validated as { value: unknown }).value);
    expect(report.rows).toEqual({ total: 10, valid: 9, invalid: 0, skipped: 1 });
    expect(report.totals.spend).toBe('579.61194418');
    // The host checks inputs again, whoever sent them.
    expect(await client.call('files:validate', { token: 'not a token' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // Refusals keep their code across the thread; the forwarding handlers throw them for `dispatch`.
    await expect(client.handlers['history:get']({ id: 'nothing-here' })).rejects.toMatchObject({ error: { code: 'UPLOAD_NOT_FOUND' } });
  });

  it('registers OS paths in the host, which checks them (a missing file is refused there)', async () => {
    const { client } = start();
    const refs: FileRef[] = await client.registerPaths([FIXTURE]);
    expect(refs).toEqual([{ token: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'ad-daily-summary-row.csv', bytes: expect.any(Number) }]);
    await expect(client.registerPaths(['/nowhere/meta.csv'])).rejects.toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it('asks the window\u2019s process for the session when the session lives there (Electron: safeStorage)', async () => {
    const asked: string[] = [];
    const USER = '00000000-0000-4000-8000-0000000000aa';
    const kept = new Map<string, string>([
      [
        'metricdrop-auth-session',
        JSON.stringify({
          access_token: 'a.b.c',
          refresh_token: 'r',
          token_type: 'bearer',
          expires_in: 3600,
          expires_at: Math.floor(Date.now() / 1000) + 3600,
          user: { id: USER, email: 'ann@agency.example', aud: 'authenticated' },
        }),
      ],
    ]);
    const session: SessionStorage = {
      getItem: (key) => {
        asked.push(`get ${key}`);
        return kept.get(key) ?? null;
      },
      setItem: (key, value) => void kept.set(key, value),
      removeItem: (key) => void kept.delete(key),
    };
    const { client, config } = start({ session, config: { session: 'main', secretStore: 'unavailable', patienceMs: 2_000 } });
    // A remembered project that does not answer: the engine reads the session to know who was signed in.
    writeFileSync(
      join(config.home, 'connection.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9', anonKey: 'anon-key-0123456789', email: 'ann@agency.example', userId: USER }),
    );
    const r = await client.call('session:get', {});
    expect(r.ok).toBe(true);
    const info = SessionInfo.parse((r as { value: unknown }).value);
    expect(info.secretStore).toBe('unavailable');
    expect(info.remembered?.url).toBe('http://127.0.0.1:9');
    // Who was signed in comes from the session kept in this process, read by the host through it.
    expect(info.user).toEqual({ id: USER, email: 'ann@agency.example' });
    expect(info.online).toBe(false);
    expect(asked).toContain('get metricdrop-auth-session');
  });

  it.each(['worker', 'process'] as const)(
    'answers calls of a host (%s) that died with ENGINE_RESTARTED, starts a new one, and the open files still work',
    async (transport) => {
      let killed = false;
      const { client, children, restarts } = start({
        transport,
        onPost: (m, child) => {
          // The host dies as it is asked to validate the big file (no chance to answer).
          if (!killed && m.t === 'call' && m.channel === 'files:validate') {
            killed = true;
            child.kill();
          }
        },
      });
      const first = await client.ready();
      const [big] = await client.registerFile({ path: bigFile, name: 'meta-big.csv', bytes: 1 });
      const [small] = await client.registerFile({ path: FIXTURE, name: 'ad-daily-summary-row.csv', bytes: 1 });
      const dead = await client.call('files:validate', { token: big!.token });
      expect(dead).toEqual({ ok: false, error: { code: 'ENGINE_RESTARTED', message: expect.stringMatching(/restarted/) } });
      expect(restarts).toHaveLength(1);
      expect(children).toHaveLength(2);
      const second = await client.ready();
      expect(transport === 'worker' ? second.threadId : second.pid).not.toBe(transport === 'worker' ? first.threadId : first.pid);
      // The files opened in the dead host, by the same tokens in the new one: read again and recorded.
      const again = await client.call('files:validate', { token: small!.token });
      expect(again.ok).toBe(true);
      expect(ValidateReport.parse((again as { value: unknown }).value).rows.valid).toBe(9);
      expect(logs.some((l) => l.level === 'error' && /ended unexpectedly/.test(l.message))).toBe(true);
    },
    120_000,
  );

  it('keeps the window\u2019s thread free while the host validates: a ping sent after the validate started is answered first', async () => {
    let validateSent!: () => void;
    const sent = new Promise<void>((resolve) => (validateSent = resolve));
    const { client } = start({ onPost: (m) => m.t === 'call' && m.channel === 'files:validate' && validateSent() });
    const [ref] = await client.registerFile({ path: bigFile, name: 'meta-big.csv', bytes: 1 });
    const order: string[] = [];
    const validate = client.call('files:validate', { token: ref!.token }).then((r) => {
      order.push('validate');
      return r;
    });
    await sent;
    // The ping is this thread's own work: a turn of its event loop after the host took the file.
    await new Promise<void>((resolve) => setImmediate(resolve));
    order.push('ping');
    expect((await validate).ok).toBe(true);
    expect(order).toEqual(['ping', 'validate']);
  }, 120_000);

  it('stops starting a host that ends before it is ready, and says so to every call with ENGINE_UNAVAILABLE', async () => {
    let spawned = 0;
    const client = createHostClient({
      spawn: () => {
        spawned++;
        return workerHost(new URL('data:text/javascript,process.exit(3)'));
      },
      config: { home: mkdtempSync(join(tmpdir(), 'md-host-')), shell: 'web', version: 't', secretStore: 'file', session: 'file' },
      logger,
      onEvent: () => {},
    });
    clients.push(client);
    const r = await client.call('app:info', {});
    expect(r).toEqual({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: expect.stringMatching(/could not be started/) } });
    // ready() fails with the same code, which dispatch passes on as the envelope's error.
    const notReady = await client.ready().catch((err: unknown) => err);
    expect(notReady).toBeInstanceOf(IpcFailure);
    expect(toIpcError(notReady)).toEqual({ code: 'ENGINE_UNAVAILABLE', message: expect.stringMatching(/could not be started/) });
    expect(spawned).toBe(4);
    // Asked again, no further host is started, and the answer stays the same.
    expect(await client.call('app:info', {})).toEqual(r);
    expect(spawned).toBe(4);
  });

  it('tells a host that died mid-call (ENGINE_RESTARTED) from one that then cannot be started (ENGINE_UNAVAILABLE)', async () => {
    // The first host is ready and dies during its first call; every later one ends before it is ready.
    let spawned = 0;
    const restarts: (number | null)[] = [];
    const client = createHostClient({
      spawn: () => (++spawned === 1 ? fakeHost({ onCall: 'die' }) : fakeHost({ ready: false })),
      config: { home: mkdtempSync(join(tmpdir(), 'md-host-')), shell: 'web', version: 't', secretStore: 'file', session: 'file' },
      logger,
      onEvent: () => {},
      onRestart: (code) => restarts.push(code),
    });
    clients.push(client);
    await client.ready();
    const dead = await client.call('app:info', {});
    // The restart case keeps its code and its sentence: the call's outcome is unknown, resuming works.
    expect(dead).toEqual({ ok: false, error: { code: 'ENGINE_RESTARTED', message: expect.stringMatching(/has been restarted.*resume/) } });
    expect(restarts).toEqual([1]);
    const gone = await client.call('app:info', {});
    expect(gone).toEqual({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: expect.stringMatching(/could not be started/) } });
    // The host that died, then three that ended before they were ready: no fifth is started.
    expect(spawned).toBe(4);
  });

  it('closes the store and ends the host when asked, without starting another', async () => {
    const { client, restarts } = start();
    await client.ready();
    await client.close();
    expect(restarts).toEqual([]);
    // Deliberately no longer ENGINE_RESTARTED: nothing restarted, metricdrop is closing.
    expect(await client.call('app:info', {})).toEqual({
      ok: false,
      error: { code: 'ENGINE_CLOSING', message: expect.stringMatching(/closing/) },
    });
    // ready() fails with the code too (an IpcFailure, which dispatch passes on), not a bare Error.
    const closed = await client.ready().catch((err: unknown) => err);
    expect(closed).toBeInstanceOf(IpcFailure);
    expect(toIpcError(closed)).toEqual({ code: 'ENGINE_CLOSING', message: expect.stringMatching(/closing/) });
  });

  it('answers a call the host was still working on when metricdrop closed with ENGINE_CLOSING, not ENGINE_RESTARTED', async () => {
    let spawned = 0;
    const restarts: (number | null)[] = [];
    const client = createHostClient({
      spawn: () => {
        spawned++;
        return fakeHost({ onCall: 'hang' });
      },
      config: { home: mkdtempSync(join(tmpdir(), 'md-host-')), shell: 'web', version: 't', secretStore: 'file', session: 'file' },
      logger,
      onEvent: () => {},
      onRestart: (code) => restarts.push(code),
    });
    clients.push(client);
    await client.ready();
    const running = client.call('uploads:interrupted', {});
    await new Promise<void>((resolve) => setImmediate(resolve));
    await client.close();
    expect(await running).toEqual({ ok: false, error: { code: 'ENGINE_CLOSING', message: expect.stringMatching(/closing/) } });
    expect(restarts).toEqual([]);
    expect(spawned).toBe(1);
  });
});
