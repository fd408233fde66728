import type { Clock } from '../../electron/engine/index.ts';

/**
 * An engine clock that moves only when a test says so: `advance(ms)` moves the time and resolves
 * every `sleep` that is then due, so a test of a 20-second patience takes no time at all.
 */
export interface ManualClock extends Required<Clock> {
  advance(ms: number): void;
  /** Resolves once something sleeps on this clock (at once if something already does). */
  sleeping(): Promise<void>;
  /** How long each pending sleep was asked to last, in the order they began (a retry's wait, say). */
  waits(): number[];
}

export function manualClock(start = Date.parse('2026-12-02T09:00:00Z')): ManualClock {
  let t = start;
  const sleepers = new Set<{ at: number; ms: number; wake(): void }>();
  let onSleep: Array<() => void> = [];
  return {
    now: () => new Date(t),
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper = {
          at: t + ms,
          ms,
          wake() {
            sleepers.delete(sleeper);
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          sleepers.delete(sleeper);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.add(sleeper);
        const waiting = onSleep;
        onSleep = [];
        for (const w of waiting) w();
      });
    },
    advance(ms) {
      t += ms;
      for (const s of [...sleepers].sort((a, b) => a.at - b.at)) if (s.at <= t) s.wake();
    },
    sleeping() {
      return sleepers.size > 0 ? Promise.resolve() : new Promise<void>((resolve) => onSleep.push(resolve));
    },
    waits: () => [...sleepers].map((s) => s.ms),
  };
}
