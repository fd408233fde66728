import type { AppEngine } from './engine-port.ts';
import { createAppEngine } from './engine-adapter.ts';
import type { Logger } from './result.ts';

/**
 * The composition root shared by Electron main and the web bridge: builds the engine with its
 * dependencies for a data folder.
 */
export async function composeAppEngine(opts: { home: string; logger: Logger }): Promise<AppEngine> {
  void opts;
  return createAppEngine();
}
