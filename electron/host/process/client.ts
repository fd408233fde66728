import { channels, type Channel, type EventName, type FileRef, type Result } from '../../../shared/ipc-contract.ts';
import type { SessionStorage } from '../../engine/upload/session.ts';
import type { HandlerMap } from '../handlers.ts';
import { IpcFailure, type Logger } from '../result.ts';
import {
  ENGINE_CLOSING,
  ENGINE_RESTARTED,
  ENGINE_UNAVAILABLE,
  type FromHost,
  type HostChild,
  type HostConfig,
  type HostFile,
  type InternalChannel,
  type ToHost,
} from './protocol.ts';

export interface HostInfo {
  pid: number;
  threadId: number;
}

export interface HostClientOptions {
  /** Starts one host (a utility process, a worker thread); called again after the host died. */
  spawn(): HostChild;
  config: HostConfig;
  /** With `config.session: 'main'`: the session the host asks for (Electron: safeStorage). */
  session?: SessionStorage;
  logger: Logger;
  /** Pushed events (upload progress), to relay to the window. */
  onEvent(event: EventName, payload: unknown): void;
  /** Told each time a host that died has been replaced (after its pending calls were answered). */
  onRestart?(code: number | null): void;
}

export interface HostClient {
  /**
   * One call of the contract, answered with the host's envelope, or without it: ENGINE_RESTARTED
   * (the host died during the call), ENGINE_UNAVAILABLE (no host can be started), ENGINE_CLOSING.
   */
  call(channel: Channel | InternalChannel, input: unknown): Promise<Result<unknown>>;
  /** The contract's handlers, each forwarded to the host (an error envelope becomes an `IpcFailure`). */
  handlers: HandlerMap;
  /** Registers files the OS gave (dialog, drop): checked and, for a .zip, unpacked in the host. */
  registerPaths(paths: readonly string[]): Promise<FileRef[]>;
  /** Registers a file the browser sent (web). */
  registerFile(file: { path: string; name: string; bytes: number }): Promise<FileRef[]>;
  /** The running host, once it is ready; else an `IpcFailure` with ENGINE_CLOSING or ENGINE_UNAVAILABLE. */
  ready(): Promise<HostInfo>;
  /** Stops the host (its store closed first); no restart after this. */
  close(): Promise<void>;
}

interface Incarnation {
  child: HostChild;
  alive: boolean;
  ready: Promise<HostInfo>;
  pending: Map<number, (r: Result<unknown>) => void>;
}

/** A host that ends before it is ready this many times in a row is not started again. */
const MAX_FAILED_STARTS = 3;

/**
 * The window's process's side of the engine host: forwards calls, relays events, answers the host's
 * session questions, and replaces a host that died. Calls the dead host was working on end with
 * ENGINE_RESTARTED; the files the window had open are registered again in the new host under the
 * same tokens, and an interrupted upload resumes from the local store as after a crash. Once hosts
 * keep ending before they are ready, calls end with ENGINE_UNAVAILABLE; after `close()`, and for the
 * calls the closing host was still working on, with ENGINE_CLOSING.
 */
export function createHostClient(opts: HostClientOptions): HostClient {
  let seq = 0;
  let closing = false;
  let failedStarts = 0;
  let gaveUp = false;
  let closed: (() => void) | null = null;
  // What the window has open, to put back into a restarted host.
  const openFiles = new Map<string, HostFile>();

  const answerAsk = async (inc: Incarnation, m: Extract<FromHost, { t: 'ask' }>) => {
    const reply = (msg: ToHost) => inc.alive && inc.child.post(msg);
    const store = opts.session;
    try {
      if (!store) throw new Error('this host keeps no session for the engine');
      if (m.op === 'session:get') return reply({ t: 'answer', id: m.id, value: await store.getItem(m.key) });
      if (m.op === 'session:set') await store.setItem(m.key, m.value ?? '');
      else await store.removeItem(m.key);
      reply({ t: 'answer', id: m.id, value: null });
    } catch (err) {
      reply({ t: 'answer', id: m.id, value: null, error: err instanceof Error ? err.message : String(err) });
    }
  };

  function spawn(): Incarnation {
    let resolveReady!: (info: HostInfo) => void;
    let rejectReady!: (err: Error) => void;
    const ready = new Promise<HostInfo>((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    ready.catch(() => {}); // observed by call(); an unobserved rejection must not end the process
    const child = opts.spawn();
    const inc: Incarnation = { child, alive: true, ready, pending: new Map() };
    child.onMessage((m) => {
      switch (m.t) {
        case 'ready':
          failedStarts = 0;
          if (openFiles.size > 0) {
            // Sent before anything else, so every later call finds its files.
            const id = ++seq;
            inc.pending.set(id, (r) => {
              if (!r.ok) opts.logger.warn('files could not be restored in the restarted engine host', { error: r.error.message });
            });
            child.post({ t: 'call', id, channel: 'host:restoreFiles', input: { files: [...openFiles.values()] } });
          }
          resolveReady({ pid: m.pid, threadId: m.threadId });
          return;
        case 'result': {
          const done = inc.pending.get(m.id);
          inc.pending.delete(m.id);
          done?.(m.result);
          return;
        }
        case 'event':
          opts.onEvent(m.event, m.payload);
          return;
        case 'ask':
          void answerAsk(inc, m);
          return;
        case 'log':
          opts.logger[m.level](m.message, m.details);
          return;
        case 'closed':
          return;
      }
    });
    child.onExit((code, reason) => {
      inc.alive = false;
      rejectReady(new Error(`the engine host ended (${String(code)})`));
      if (closing) {
        closed?.();
        for (const done of inc.pending.values()) done({ ok: false, error: ENGINE_CLOSING });
        return;
      }
      opts.logger.error('the engine host ended unexpectedly; starting it again', {
        code,
        pendingCalls: inc.pending.size,
        ...(reason ? { reason } : {}),
      });
      for (const done of inc.pending.values()) done({ ok: false, error: ENGINE_RESTARTED });
      inc.pending.clear();
      failedStarts++; // set back to 0 by the next 'ready'
      if (failedStarts > MAX_FAILED_STARTS) {
        gaveUp = true;
        opts.logger.error('the engine host keeps ending before it is ready; not starting it again');
        return;
      }
      current = spawn();
      opts.onRestart?.(code);
    });
    child.post({ t: 'init', config: opts.config });
    return inc;
  }

  let current = spawn();

  async function call(channel: Channel | InternalChannel, input: unknown): Promise<Result<unknown>> {
    // Wait for a ready host; one that dies before it is ready is replaced and waited for in turn.
    for (;;) {
      if (closing) return { ok: false, error: ENGINE_CLOSING };
      if (gaveUp) return { ok: false, error: ENGINE_UNAVAILABLE };
      const inc = current;
      const ok = await inc.ready.then(
        () => true,
        () => false,
      );
      if (!ok || !inc.alive) continue;
      const result = await new Promise<Result<unknown>>((resolve) => {
        const id = ++seq;
        inc.pending.set(id, resolve);
        inc.child.post({ t: 'call', id, channel, input });
      });
      if (channel === 'files:forget' && result.ok) openFiles.delete((input as { token: string }).token);
      return result;
    }
  }

  const unwrap = <T>(r: Result<unknown>): T => {
    if (r.ok) return r.value as T;
    throw new IpcFailure(r.error);
  };
  const handlers = Object.fromEntries(
    channels.map((channel) => [channel, async (input: unknown) => unwrap(await call(channel, input))]),
  ) as unknown as HandlerMap;

  const register = async (channel: InternalChannel, input: unknown): Promise<FileRef[]> => {
    const files = unwrap<HostFile[]>(await call(channel, input));
    for (const f of files) openFiles.set(f.token, f);
    return files.map((f) => ({ token: f.token, name: f.name, bytes: f.bytes }));
  };

  return {
    call,
    handlers,
    registerPaths: (paths) => register('host:registerPaths', { paths: [...paths] }),
    registerFile: (file) => register('host:registerFile', file),
    async ready() {
      for (;;) {
        if (closing) throw new IpcFailure(ENGINE_CLOSING);
        if (gaveUp) throw new IpcFailure(ENGINE_UNAVAILABLE);
        const inc = current;
        const info = await inc.ready.catch(() => null);
        if (info && inc.alive) return info;
      }
    },
    close() {
      if (closing) return Promise.resolve();
      closing = true;
      const inc = current;
      if (!inc.alive) return Promise.resolve();
      return new Promise<void>((resolve) => {
        closed = resolve;
        inc.child.post({ t: 'close' });
        // A host that does not end by itself (stuck in a long synchronous step) is stopped.
        const timer = setTimeout(() => inc.child.kill(), 5_000);
        timer.unref?.();
      });
    },
  };
}
