// The engine host's entry: run as an Electron utility process (`process.parentPort`), a worker
// thread (`worker_threads.parentPort`) or a forked Node child (`process.send`). Bundled by
// scripts/build-app.mjs into dist-electron/host.cjs; never imports electron.
import { isMainThread, parentPort, threadId } from 'node:worker_threads';
import type { FromHost, HostPort, ToHost } from './protocol.ts';
import { serveHost } from './serve.ts';

/** Electron's `process.parentPort` in a utility process, narrowed. */
interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function pickPort(): HostPort {
  const electron = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electron) {
    return {
      post: (m) => electron.postMessage(m),
      onMessage: (l) => electron.on('message', (e) => l(e.data as ToHost)),
      exit: (code) => process.exit(code),
    };
  }
  if (!isMainThread && parentPort) {
    const port = parentPort;
    return {
      post: (m) => port.postMessage(m),
      onMessage: (l) => port.on('message', (m: ToHost) => l(m)),
      exit: (code) => process.exit(code), // in a worker, ends the worker only
    };
  }
  if (process.send) {
    const send = process.send.bind(process);
    // The window's process is gone: nobody will ask anything again.
    process.on('disconnect', () => process.exit(0));
    return {
      post: (m: FromHost) => void send(m),
      onMessage: (l) => process.on('message', (m) => l(m as ToHost)),
      exit: (code) => process.exit(code),
    };
  }
  throw new Error('the engine host must be started by metricdrop (a utility process, a worker or a forked child)');
}

serveHost(pickPort(), { pid: process.pid, threadId });
