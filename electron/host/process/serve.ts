import type { Result } from '../../../shared/ipc-contract.ts';
import type { SessionStorage } from '../../engine/upload/session.ts';
import { composeAppEngine } from '../compose.ts';
import { createFileRegistry, registerFile, registerLocalPaths, type FileRegistry, type RegisteredFile } from '../files.ts';
import { createHandlers, type HandlerMap } from '../handlers.ts';
import { incomingRegistry } from '../incoming.ts';
import { dispatch, toIpcError, type AnyHandler, type Logger } from '../result.ts';
import {
  HostConfig,
  internalContract,
  isInternalChannel,
  type FromHost,
  type HostFile,
  type HostPort,
  type InternalChannel,
  type SessionOp,
  type ToHost,
} from './protocol.ts';

interface Runtime {
  handlers: HandlerMap;
  files: FileRegistry;
  close(): void;
}

const asHostFile = (f: RegisteredFile): HostFile => ({
  token: f.token,
  path: f.path,
  name: f.name,
  bytes: f.bytes,
  ...(f.refusal ? { refusal: f.refusal } : {}),
  ...(f.temporary ? { temporary: true } : {}),
});

/**
 * The engine host: waits for its configuration, builds the engine over the local store and the
 * contract's handlers, then answers each call with the Result envelope. Calls run concurrently, as
 * they would in one process (a cancel reaches a running upload); progress events and log lines are
 * posted to the window's process. One function for every transport: `entry.ts` picks the port.
 */
export function serveHost(port: HostPort, identity: { pid: number; threadId: number }): void {
  const post = (m: FromHost) => port.post(m);
  const logger: Logger = {
    error: (message, details) => post({ t: 'log', level: 'error', message, ...(details ? { details } : {}) }),
    warn: (message, details) => post({ t: 'log', level: 'warn', message, ...(details ? { details } : {}) }),
    info: (message, details) => post({ t: 'log', level: 'info', message, ...(details ? { details } : {}) }),
  };

  // The session kept by the window's process (Electron: safeStorage, which only main may use).
  let askSeq = 0;
  const asks = new Map<number, { resolve(v: string | null): void; reject(e: Error): void }>();
  const ask = (op: SessionOp, key: string, value?: string): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const id = ++askSeq;
      asks.set(id, { resolve, reject });
      post({ t: 'ask', id, op, key, ...(value === undefined ? {} : { value }) });
    });
  const sessionFromMain: SessionStorage = {
    getItem: (key) => ask('session:get', key),
    setItem: async (key, value) => {
      await ask('session:set', key, value);
    },
    removeItem: async (key) => {
      await ask('session:remove', key);
    },
  };

  let runtime: Runtime | null = null;
  const start = (raw: unknown): Runtime => {
    const config = HostConfig.parse(raw);
    const { engine, close } = composeAppEngine({
      home: config.home,
      logger,
      ...(config.session === 'main' ? { sessionStorage: sessionFromMain } : {}),
      ...(config.patienceMs === undefined ? {} : { patienceMs: config.patienceMs }),
    });
    const base = createFileRegistry();
    const files = config.incomingDir ? incomingRegistry(base, config.incomingDir) : base;
    const handlers = createHandlers({
      engine,
      files,
      shell: config.shell,
      version: config.version,
      secretStore: config.secretStore,
      emit: (event, payload) => post({ t: 'event', event, payload }),
      logger,
    });
    return { handlers, files, close };
  };

  const internal = async (rt: Runtime, channel: InternalChannel, rawInput: unknown): Promise<Result<unknown>> => {
    try {
      const input = internalContract[channel].input.parse(rawInput) as Record<string, unknown>;
      const registered = (refs: { token: string }[]) => refs.map((r) => asHostFile(rt.files.get(r.token)));
      switch (channel) {
        case 'host:registerPaths':
          return { ok: true, value: registered(await registerLocalPaths(rt.files, input.paths as string[])) };
        case 'host:registerFile':
          return { ok: true, value: registered(await registerFile(rt.files, input as { path: string; name: string; bytes: number })) };
        case 'host:restoreFiles':
          for (const f of input.files as HostFile[]) rt.files.restore(f as RegisteredFile);
          return { ok: true, value: null };
      }
    } catch (err) {
      return { ok: false, error: toIpcError(err, logger) };
    }
  };

  const call = async (id: number, channel: string, input: unknown) => {
    let result: Result<unknown>;
    if (runtime === null)
      result = { ok: false, error: { code: 'INTERNAL_ERROR', message: 'The engine host was called before it was set up.' } };
    else if (isInternalChannel(channel)) result = await internal(runtime, channel, input);
    else result = await dispatch(runtime.handlers as unknown as Record<string, AnyHandler>, channel, input, logger);
    post({ t: 'result', id, result });
  };

  port.onMessage((message: ToHost) => {
    switch (message.t) {
      case 'init':
        try {
          runtime = start(message.config);
          post({ t: 'ready', ...identity });
        } catch (err) {
          logger.error('the engine host could not start', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          port.exit(1);
        }
        return;
      case 'call':
        void call(message.id, message.channel, message.input);
        return;
      case 'answer': {
        const waiting = asks.get(message.id);
        asks.delete(message.id);
        if (message.error !== undefined) waiting?.reject(new Error(message.error));
        else waiting?.resolve(message.value);
        return;
      }
      case 'close':
        runtime?.close();
        runtime = null;
        post({ t: 'closed' });
        port.exit(0);
        return;
    }
  });
}
