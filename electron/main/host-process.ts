import type { FromHost, HostChild, ToHost } from '../host/process/protocol.ts';

/** The part of Electron's `utilityProcess` used here (tests pass a stand-in that forks Node). */
export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args?: string[],
    options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore'; env?: NodeJS.ProcessEnv },
  ): {
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: unknown) => void): unknown;
    on(event: 'exit', listener: (code: number) => void): unknown;
    kill(): boolean;
  };
}

/**
 * The engine host as an Electron utility process: a Node.js child of main with its own event loop
 * (reading, validating and recording 100,000 rows never holds up the window), running the bundled
 * `dist-electron/host.cjs`. Only main may use safeStorage, so the host asks main for the session.
 */
export function utilityHost(utilityProcess: UtilityProcessLike, modulePath: string): HostChild {
  const child = utilityProcess.fork(modulePath, [], { serviceName: 'metricdrop engine', stdio: 'inherit' });
  let exited = false;
  const exitListeners: ((code: number | null) => void)[] = [];
  child.on('exit', (code) => {
    exited = true;
    for (const l of exitListeners) l(code);
  });
  return {
    post: (m: ToHost) => {
      if (!exited) child.postMessage(m);
    },
    onMessage: (l) => void child.on('message', (m) => l(m as FromHost)),
    onExit: (l) => void exitListeners.push(l),
    kill: () => void child.kill(),
  };
}
