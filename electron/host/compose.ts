import { createEngine, systemClock, type Clock } from '../engine/index.ts';
import { openStore, storeFile } from '../engine/store/open.ts';
import type { SessionStorage } from '../engine/upload/session.ts';
import { createAppEngine } from './engine-adapter.ts';
import type { AppEngine } from './engine-port.ts';
import type { Logger } from './result.ts';

/**
 * The composition root shared by Electron main and the web bridge: the engine with its
 * dependencies for one data folder (the same store and session the command line uses).
 */
export function composeAppEngine(opts: {
  home: string;
  logger: Logger;
  /** Electron: encrypted with safeStorage, in main. Web: the engine's own 0600 file in `home`. */
  sessionStorage?: SessionStorage;
  /** How long to wait for the project before answering offline (tests shorten it). */
  patienceMs?: number;
  /** The engine's time (tests move it instead of sleeping). */
  clock?: Clock;
}): { engine: AppEngine; close(): void } {
  const clock = opts.clock ?? systemClock;
  const db = openStore(storeFile(opts.home));
  const engine = createEngine({
    db,
    clock,
    logger: opts.logger,
    home: opts.home,
    ...(opts.sessionStorage ? { sessionStorage: opts.sessionStorage } : {}),
    ...(opts.patienceMs === undefined ? {} : { patienceMs: opts.patienceMs }),
  });
  return {
    engine: createAppEngine(engine),
    close: () => db.close(),
  };
}
