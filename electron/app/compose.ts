import type { AppEngine } from './engine-port.ts';
import { createAppEngine } from './engine-adapter.ts';
import type { Logger } from './result.ts';
import type { SessionStorage } from '../engine/upload/session.ts';

/**
 * The composition root shared by Electron main and the web bridge: builds the engine with its
 * dependencies for a data folder.
 */
export async function composeAppEngine(opts: {
  home: string;
  logger: Logger;
  /** Electron: encrypted with safeStorage, in main. Web: the engine's own 0600 file in `home`. */
  sessionStorage?: SessionStorage;
}): Promise<AppEngine> {
  void opts;
  return createAppEngine();
}
