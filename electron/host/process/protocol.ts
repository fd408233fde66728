import * as z from 'zod';
import type { EventName, IpcError, Result } from '../../../shared/ipc-contract.ts';
import { SecretStore } from '../../../shared/ipc-contract.ts';

/**
 * The messages between the process that owns the window (Electron main, or the web bridge) and the
 * engine host that runs beside it (an Electron utility process, or a worker thread under
 * `npm run web`). The host runs the handlers of the IPC contract over the engine and its SQLite
 * store, so reading, validating and recording 100,000 rows never holds up the window's process.
 *
 * Both ends are ours; the window never speaks this protocol. Inputs from the window are parsed by the
 * contract in the window's process before they are forwarded, and again in the host (`dispatch`).
 */

/** What the host is told once, before any call. */
export const HostConfig = z
  .object({
    /** The data folder: the local store and (web) the session file. */
    home: z.string().min(1),
    shell: z.enum(['electron', 'web']),
    version: z.string(),
    secretStore: SecretStore,
    /**
     * `main`: the session lives with the window's process (Electron's safeStorage, which only main
     * may use) and the host asks for it by message; `file`: the engine's own 0600 file in `home`.
     */
    session: z.enum(['main', 'file']),
    /** Web: files the browser sent live here; their folder goes when the window forgets them. */
    incomingDir: z.string().min(1).optional(),
    /** How long to wait for the project before answering offline (tests shorten it). */
    patienceMs: z.number().int().positive().optional(),
  })
  .strict();
export type HostConfig = z.infer<typeof HostConfig>;

/** A file the host registered, as the window's process keeps it to restore after a restart. */
export const HostFile = z.object({
  token: z.string().regex(/^[0-9a-f]{32}$/),
  path: z.string().min(1),
  name: z.string().min(1),
  bytes: z.number().int().nonnegative(),
  refusal: z.object({ code: z.string(), message: z.string() }).optional(),
  temporary: z.boolean().optional(),
});
export type HostFile = z.infer<typeof HostFile>;

/**
 * Calls only the window's process makes (never the window): registering the files the OS dialog,
 * a drop or the browser handed over (a .zip becomes one file per export inside, unpacked in the
 * host), and putting them back into a restarted host under the same tokens.
 */
export const internalContract = {
  'host:registerPaths': { input: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(50) }).strict() },
  'host:registerFile': {
    input: z.object({ path: z.string().min(1), name: z.string().min(1).max(255), bytes: z.number().int().nonnegative() }).strict(),
  },
  'host:restoreFiles': { input: z.object({ files: z.array(HostFile) }).strict() },
} as const;
export type InternalChannel = keyof typeof internalContract;
export function isInternalChannel(name: string): name is InternalChannel {
  return Object.hasOwn(internalContract, name);
}

export type SessionOp = 'session:get' | 'session:set' | 'session:remove';

export type ToHost =
  | { t: 'init'; config: HostConfig }
  | { t: 'call'; id: number; channel: string; input: unknown }
  /** The answer to the host's `ask` (the session kept by the window's process). */
  | { t: 'answer'; id: number; value: string | null; error?: string }
  | { t: 'close' };

export type FromHost =
  | { t: 'ready'; pid: number; threadId: number }
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; event: EventName; payload: unknown }
  | { t: 'ask'; id: number; op: SessionOp; key: string; value?: string }
  | { t: 'log'; level: 'error' | 'warn' | 'info'; message: string; details?: Record<string, unknown> }
  | { t: 'closed' };

/** The host's side of the channel: Electron's `process.parentPort`, a worker's `parentPort`, or IPC of a forked child. */
export interface HostPort {
  post(message: FromHost): void;
  onMessage(listener: (message: ToHost) => void): void;
  /** Ends the host once its store is closed. */
  exit(code: number): void;
}

/** The window's side: one running host (a utility process, a worker, a forked child). */
export interface HostChild {
  post(message: ToHost): void;
  onMessage(listener: (message: FromHost) => void): void;
  /** Called once when the host has ended, for whatever reason (`reason`: an uncaught error, when known). */
  onExit(listener: (code: number | null, reason?: string) => void): void;
  kill(): void;
}

/**
 * The three ways a call can end without the host answering it, each with its own code so the window
 * and tests compare codes, never sentences (docs/errors.md, "In the window").
 *
 * ENGINE_RESTARTED: the answer to every call a host that died was still working on. A new host is
 * already starting; whether the call took effect is unknown, what was recorded is kept, and an
 * upload that was running can be resumed.
 */
export const ENGINE_RESTARTED: IpcError = {
  code: 'ENGINE_RESTARTED',
  message:
    'The part of metricdrop that reads files and uploads stopped unexpectedly and has been restarted. What was recorded is kept: try again, and resume an upload that was running.',
};

/**
 * ENGINE_UNAVAILABLE: the host cannot be started at all (it ended before it was ready, several times
 * in a row) and is not started again; the call was not run. Only restarting metricdrop helps.
 */
export const ENGINE_UNAVAILABLE: IpcError = {
  code: 'ENGINE_UNAVAILABLE',
  message:
    'The part of metricdrop that reads files and uploads could not be started. Restart metricdrop; if it happens again, reinstall it.',
};

/**
 * ENGINE_CLOSING: the call was made, or still running, while metricdrop is closing (the host was
 * asked to stop and no other is started). What was recorded is kept; an upload it stopped can be
 * resumed the next time metricdrop starts.
 */
export const ENGINE_CLOSING: IpcError = {
  code: 'ENGINE_CLOSING',
  message: 'metricdrop is closing; this was not done. Start metricdrop again to continue.',
};
