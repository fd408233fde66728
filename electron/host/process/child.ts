import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromHost, HostChild, ToHost } from './protocol.ts';

/**
 * The engine host as a Node child process of the web bridge (`npm run web`), as Electron runs it as a
 * utility process: its own event loop and memory, so neither a long synchronous step nor a crash of
 * the engine (native code included) takes the bridge down. From source (`from-source.mjs` registers
 * tsx first) unless `entry` names a built bundle. `pid` lets the bridge name it (and tests stop it).
 */
export function childProcessHost(
  entry: string = fileURLToPath(new URL('./from-source.mjs', import.meta.url)),
): HostChild & { pid: number } {
  const child = fork(entry, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exited = false;
  const exitListeners: ((code: number | null, reason?: string) => void)[] = [];
  child.once('exit', (code, signal) => {
    exited = true;
    for (const l of exitListeners) l(code, signal ? `ended by ${signal}` : undefined);
  });
  // A failed send (the child just ended) is reported by 'exit'; nothing to do here.
  child.on('error', () => {});
  return {
    pid: child.pid ?? -1,
    post: (m: ToHost) => {
      if (!exited && child.connected) child.send(m as never);
    },
    onMessage: (l) => void child.on('message', (m) => l(m as FromHost)),
    onExit: (l) => void exitListeners.push(l),
    kill: () => void child.kill('SIGKILL'),
  };
}
