import { Worker } from 'node:worker_threads';
import type { FromHost, HostChild, ToHost } from '../../electron/host/process/protocol.ts';

/**
 * The engine host in a worker thread of this process, for the host protocol's tests (the app and
 * `npm run web` run it in a child process: electron/host/process/child.ts). Its own event loop,
 * its own SQLite connection (better-sqlite3 loads in workers), nothing shared. From source
 * (`from-source.mjs` registers tsx first) unless `entry` names a built bundle.
 */
export function workerHost(entry: URL | string = new URL('../../electron/host/process/from-source.mjs', import.meta.url)): HostChild {
  const worker = new Worker(entry);
  let exited = false;
  let reason: string | undefined;
  const exitListeners: ((code: number | null, reason?: string) => void)[] = [];
  // An uncaught error in the worker ends it: 'error' first, then 'exit'.
  worker.on('error', (err) => (reason = err instanceof Error ? (err.stack ?? err.message) : String(err)));
  worker.once('exit', (code) => {
    exited = true;
    for (const l of exitListeners) l(code, reason);
  });
  return {
    post: (m: ToHost) => {
      if (!exited) worker.postMessage(m);
    },
    onMessage: (l) => worker.on('message', (m: FromHost) => l(m)),
    onExit: (l) => void exitListeners.push(l),
    kill: () => void worker.terminate(),
  };
}
