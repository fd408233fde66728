import type { AppEngine } from '../../electron/host/engine-port.ts';

/** Each call the handlers made to the scripted engine, in order: method and arguments. */
export type EngineCall = { method: keyof AppEngine; args: unknown[] };

/**
 * An `AppEngine` that does only what a test scripts: the given methods, recorded in `calls`; any
 * other method rejects, so a handler reaching the engine where the test did not expect it fails.
 */
export function scriptedEngine(script: Partial<AppEngine>): { engine: AppEngine; calls: EngineCall[] } {
  const calls: EngineCall[] = [];
  const engine = new Proxy({} as AppEngine, {
    get: (_t, name) => {
      const method = name as keyof AppEngine;
      return (...args: unknown[]) => {
        calls.push({ method, args });
        const scripted = script[method] as ((...a: unknown[]) => Promise<unknown>) | undefined;
        return scripted ? scripted(...args) : Promise.reject(new Error(`engine.${String(name)} is not scripted in this test`));
      };
    },
  });
  return { engine, calls };
}
