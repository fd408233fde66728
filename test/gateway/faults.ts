/**
 * Fault injection for tests of the upload engine's retries and resume: a fault matches requests by
 * path or predicate and applies to the next `times` of them.
 */

export type FaultKind =
  /** Run the request, COMMIT, then destroy the socket without answering: the write happened. */
  | 'drop-after-commit'
  /** Answer 503 before any SQL runs: nothing happened. */
  | 'status-503-before-sql'
  /** Wait `ms` before handling the request. */
  | 'delay';

export interface FaultRequest {
  method: string;
  /** Full path, e.g. `/rest/v1/rpc/stage_rows`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when there is none. */
  body: unknown;
}

export interface FaultSpec {
  match: RegExp | ((req: FaultRequest) => boolean);
  kind: FaultKind;
  /** For `delay`. */
  ms?: number;
  /** How many matching requests it applies to (default 1; `Infinity` for all). */
  times?: number;
}

export interface Fault {
  readonly kind: FaultKind;
  /** How many requests this fault has been applied to so far. */
  readonly hits: number;
  /** Requests it still applies to. */
  readonly remaining: number;
  remove(): void;
}

export interface Faults {
  add(spec: FaultSpec): Fault;
  /** Removes every fault and forgets what was applied. */
  clear(): void;
  /** Every request a fault was applied to, in order. */
  readonly applied: ReadonlyArray<{ kind: FaultKind; method: string; path: string }>;
  /** The faults that apply to this request (each consumes one of its `times`). */
  take(req: FaultRequest): FaultSpec[];
}

interface Entry {
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

export function createFaults(): Faults {
  let entries: Entry[] = [];
  const applied: Array<{ kind: FaultKind; method: string; path: string }> = [];
  return {
    add(spec) {
      if (spec.kind === 'delay' && !(typeof spec.ms === 'number' && spec.ms >= 0)) {
        throw new Error('a delay fault needs ms');
      }
      const entry: Entry = { spec, hits: 0, remaining: spec.times ?? 1 };
      entries.push(entry);
      return {
        kind: spec.kind,
        get hits() {
          return entry.hits;
        },
        get remaining() {
          return entry.remaining;
        },
        remove() {
          entries = entries.filter((e) => e !== entry);
        },
      };
    },
    clear() {
      entries = [];
      applied.length = 0;
    },
    applied,
    take(req) {
      const out: FaultSpec[] = [];
      for (const entry of entries) {
        if (entry.remaining <= 0) continue;
        const m = entry.spec.match;
        if (m instanceof RegExp) m.lastIndex = 0;
        const matches = typeof m === 'function' ? m(req) : m.test(req.path);
        if (!matches) continue;
        entry.remaining -= 1;
        entry.hits += 1;
        applied.push({ kind: entry.spec.kind, method: req.method, path: req.path });
        out.push(entry.spec);
      }
      return out;
    },
  };
}
