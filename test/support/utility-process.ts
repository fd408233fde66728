import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { UtilityProcessLike } from '../../electron/main/host-process.ts';

const SHIM = fileURLToPath(new URL('./utility-process-shim.mjs', import.meta.url));

/**
 * A stand-in for Electron's `utilityProcess` where the binary is missing: `fork` runs the module in
 * a Node child with `process.parentPort`, structured-clone messages, and `exit` with the code (1
 * when killed by a signal, as Electron reports a crash). `children` are the processes it started.
 */
export function nodeUtilityProcess(): UtilityProcessLike & { children: ChildProcess[]; killAll(): void } {
  const children: ChildProcess[] = [];
  return {
    children,
    killAll: () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    },
    fork(modulePath, args = []) {
      const child = fork(SHIM, [modulePath, ...args], { serialization: 'advanced', stdio: 'inherit' });
      children.push(child);
      const events = new EventEmitter();
      child.on('message', (m) => events.emit('message', m));
      child.on('exit', (code, signal) => events.emit('exit', code ?? (signal ? 1 : 0)));
      return {
        postMessage: (m: unknown) => {
          if (child.connected) child.send(m as never);
        },
        on: (event: 'message' | 'exit', listener: (arg: never) => void) => events.on(event, listener as (...args: unknown[]) => void),
        kill: () => child.kill('SIGKILL'),
      } as ReturnType<UtilityProcessLike['fork']>;
    },
  };
}
