import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../test/support/manual-clock.ts';
import { sleepOn, systemClock } from '../deps.ts';
import { backoffDelay, callRpc, DEFAULT_RETRY, isTransient, parseRefusal, toAppError, type RpcDeps, type RpcFailure } from './rpc.ts';

const failure = (over: Partial<RpcFailure>): RpcFailure => ({
  status: 400,
  code: 'P0001',
  message: 'm',
  hint: null,
  details: null,
  ...over,
});

describe('which failures are retried', () => {
  it('retries a lost connection, gateway errors and an expired token', () => {
    expect(isTransient(failure({ status: 0, code: '' }))).toBe(true);
    expect(isTransient(failure({ status: 503, code: '' }))).toBe(true);
    expect(isTransient(failure({ status: 401, code: 'PGRST303' }))).toBe(true);
    expect(isTransient(failure({ status: 500, code: '40001' }))).toBe(true);
    expect(isTransient(failure({ status: 500, code: '55P03', message: 'canceling statement due to lock timeout' }))).toBe(true);
    expect(isTransient(failure({ status: 500, code: '57014', message: 'canceling statement due to statement timeout' }))).toBe(true);
  });

  it('does not retry a refusal: the same request would be refused again', () => {
    expect(isTransient(failure({ hint: 'RATE_LIMITED' }))).toBe(false);
    expect(isTransient(failure({ status: 403, code: '42501' }))).toBe(false);
    expect(isTransient(failure({ status: 404, code: 'PGRST202' }))).toBe(false);
  });
});

describe('refusals carry the data contract code', () => {
  it('takes the code from the hint and keeps the sentence', () => {
    const err = toAppError('begin_upload', failure({ hint: 'CONCURRENCY_LIMIT', message: 'Three uploads are already running.' }), 'begin');
    expect(err.toJSON()).toEqual({ code: 'CONCURRENCY_LIMIT', message: 'Three uploads are already running.', stage: 'begin' });
  });

  it('names a lost network and a permission refusal', () => {
    expect(toAppError('stage_rows', failure({ status: 0, code: '', message: 'TypeError: fetch failed' })).code).toBe('NETWORK_ERROR');
    expect(toAppError('stage_rows', failure({ status: 403, code: '42501' })).code).toBe('NOT_AUTHORIZED');
  });
});

describe('refusals under minimal error verbosity (no hint, no details)', () => {
  it('takes the code from the message prefix and strips it from the sentence', () => {
    const err = toAppError('begin_upload', failure({ message: '[RATE_LIMITED] Acme had 10 uploads this hour.' }), 'begin');
    expect(err.toJSON()).toEqual({ code: 'RATE_LIMITED', message: 'Acme had 10 uploads this hour.', stage: 'begin' });
  });

  it('strips the prefix when the hint is there too, and never trusts a prefix that is not a contract code', () => {
    expect(parseRefusal({ message: '[NOT_AUTHORIZED] You are a viewer.', hint: 'NOT_AUTHORIZED' })).toEqual({
      code: 'NOT_AUTHORIZED',
      message: 'You are a viewer.',
    });
    expect(parseRefusal({ message: '[SOMETHING_ELSE] Odd.', hint: null })).toEqual({ code: null, message: 'Odd.' });
    expect(toAppError('stage_rows', failure({ message: '[SOMETHING_ELSE] Odd.' })).code).toBe('SERVER_ERROR');
    expect(parseRefusal({ message: 'relation "x" does not exist', hint: null })).toEqual({
      code: null,
      message: 'relation "x" does not exist',
    });
  });
});

describe('backoff', () => {
  it('grows exponentially, stays within its cap and is jittered', () => {
    const policy = { attempts: 8, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(backoffDelay(0, policy, () => 0)).toBe(50);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(800);
    expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
    expect(backoffDelay(10, policy, () => 0)).toBe(500);
  });
});

/** A project that answers `stage_batch` with a 503 `failures` times, then with `{ staged: 1 }`; it counts what it was sent. */
function flakyProject(failures: number) {
  let sent = 0;
  const client = {
    rpc: async () => {
      sent++;
      return sent <= failures
        ? { data: null, status: 503, error: { code: 'PGRST001', message: 'Database client error.', hint: null, details: null } }
        : { data: { staged: 1 }, status: 200, error: null };
    },
  } as unknown as SupabaseClient;
  return { client, sent: () => sent };
}

/** Lets every promise callback and timer that is already due run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("retries wait on the engine's clock", () => {
  // The longest wait the jitter allows: DEFAULT_RETRY's first wait is then exactly its base delay.
  const longest = () => 1;

  it("sends a call that met a 503 again only once the clock has moved by the policy's delay", async () => {
    const clock = manualClock();
    const project = flakyProject(1);
    const call = callRpc<{ staged: number }>(
      { client: project.client, sleep: sleepOn(clock), random: longest },
      'stage_batch',
      {},
      'stage',
    );
    await clock.sleeping();
    expect(clock.waits()).toEqual([DEFAULT_RETRY.baseDelayMs]);
    clock.advance(DEFAULT_RETRY.baseDelayMs - 1);
    await settle();
    expect(project.sent()).toBe(1);
    clock.advance(1);
    expect(await call).toEqual({ staged: 1 });
    expect(project.sent()).toBe(2);
  });

  // The engine clock's sleep and Node's timers reject a cancelled wait with the signal's reason (an
  // AbortError); callRpc's own default rejects with CANCELLED. Each ends the call as CANCELLED.
  const sleeps: Array<[string, () => RpcDeps['sleep']]> = [
    ['a manual clock', () => sleepOn(manualClock())],
    ["the system clock's timers", () => sleepOn(systemClock)],
    ["callRpc's default", () => undefined],
  ];
  it.each(sleeps)('cancelling during the wait (%s) ends the call as CANCELLED at once, sending nothing more', async (_, sleep) => {
    const project = flakyProject(Infinity);
    const cancel = new AbortController();
    const slow = { attempts: 8, baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 };
    let retrying!: () => void;
    const waiting = new Promise<void>((resolve) => (retrying = resolve));
    const call = callRpc(
      { client: project.client, sleep: sleep(), retry: slow, signal: cancel.signal, onRetry: () => retrying() },
      'stage_batch',
      {},
      'stage',
    );
    await waiting;
    cancel.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED', stage: 'stage' });
    expect(project.sent()).toBe(1);
  });

  it('a call cancelled before its wait began is CANCELLED too', async () => {
    const project = flakyProject(Infinity);
    const cancel = new AbortController();
    const call = callRpc(
      { client: project.client, sleep: sleepOn(manualClock()), signal: cancel.signal, onRetry: () => cancel.abort() },
      'stage_batch',
      {},
      'stage',
    );
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED', stage: 'stage' });
    expect(project.sent()).toBe(1);
  });
});
