import type { Api } from '../../shared/ipc-contract.ts';

/** A script for the window's API: per domain, the functions a test uses (Actual's `initServer(handlers: Partial<Handlers>)`). */
export type ApiScript = { [D in keyof Api]?: Partial<Api[D]> };

/**
 * The window's API (`window.metricdrop`) doing only what a test scripts; any other function throws
 * at once, naming itself, so a component reaching further than the test expects fails loudly.
 */
export function fakeApi(script: ApiScript): Api {
  return new Proxy({} as Api, {
    get: (_t, domain: string) =>
      new Proxy(
        {},
        {
          get: (_d, verb: string) => {
            const fn = (script as Record<string, Record<string, unknown> | undefined>)[domain]?.[verb];
            if (typeof fn === 'function') return fn;
            return () => {
              throw new Error(`api.${domain}.${verb} is not scripted in this test`);
            };
          },
        },
      ),
  });
}
