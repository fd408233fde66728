// Counts what the app asks of the network: requests made, and round trips on the critical path (a
// request that starts while no other is in flight waits a whole round trip no other request hides).
// A `fetch` wrapper handed to the engine, so it sees every request supabase-js makes.

export interface WireStats {
  requests: number;
  /** Requests that began while no other request was in flight. */
  criticalRoundTrips: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** Requests per function or endpoint, e.g. `rpc/stage_batch`, `auth/user`. */
  byPath: Record<string, number>;
}

export interface WireMeter {
  fetch: typeof fetch;
  stats(): WireStats;
  reset(): void;
}

export function wireMeter(inner: typeof fetch = fetch): WireMeter {
  let stats: WireStats = { requests: 0, criticalRoundTrips: 0, maxInFlight: 0, byPath: {} };
  let inFlight = 0;
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const path = url.pathname.replace(/^\/(rest|auth)\/v1\//, (_, api: string) => (api === 'auth' ? 'auth/' : ''));
    stats.requests++;
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    if (inFlight === 0) stats.criticalRoundTrips++;
    inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    try {
      const res = await inner(input, init);
      // The round trip ends when the answer has arrived, not when its headers have.
      const body = await res.arrayBuffer();
      const bodiless = [101, 204, 205, 304].includes(res.status);
      return new Response(bodiless ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      inFlight--;
    }
  };
  return {
    fetch: wrapped as typeof fetch,
    stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
    reset: () => {
      stats = { requests: 0, criticalRoundTrips: 0, maxInFlight: 0, byPath: {} };
    },
  };
}
