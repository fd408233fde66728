/**
 * The time and the log the engine is built with (`createEngine(deps)`), declared once. Tests pass a
 * clock they move by hand (test/support/manual-clock.ts), so nothing waits for real time in them.
 */

export interface Clock {
  now(): Date;
  /**
   * Resolves after `ms` milliseconds of this clock's time; rejects when `signal` aborts. Optional:
   * without it the engine waits on Node's timers (`sleepOn`).
   */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The engine's log. `debug` is optional: the shells keep only info, warnings and errors. */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemClock: Clock = { now: () => new Date(), sleep: timerSleep };

/** The clock's own wait, or Node's timers for a clock that only tells the time. */
export function sleepOn(clock: Clock): (ms: number, signal?: AbortSignal) => Promise<void> {
  return clock.sleep ? (ms, signal) => clock.sleep!(ms, signal) : timerSleep;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
