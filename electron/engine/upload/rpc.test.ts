import { describe, expect, it } from 'vitest';
import { backoffDelay, isTransient, parseRefusal, toAppError, type RpcFailure } from './rpc.ts';

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
