import type { AppEngine } from '../../electron/host/engine-port.ts';

/**
 * For transport tests (IPC registration, sender checks) that never reach the engine: every method
 * rejects, so a test that does reach it fails loudly.
 */
export function unusedEngine(): AppEngine {
  return new Proxy({} as AppEngine, {
    get: (_t, name) => () => Promise.reject(new Error(`engine.${String(name)} is not used in this test`)),
  });
}
