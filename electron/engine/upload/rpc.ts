import type { SupabaseClient } from '@supabase/supabase-js';
import { AppError, ErrorCode, type ErrorCode as Code } from '../../../shared/errors.ts';

/** What an RPC failure was, as far as retrying is concerned. */
export interface RpcFailure {
  status: number;
  code: string;
  message: string;
  hint: string | null;
  details: string | null;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8_000 };

export interface RpcDeps {
  client: SupabaseClient;
  retry?: RetryPolicy;
  /**
   * The wait between attempts: the engine's clock (`sleepOn(clock)`, passed by context.ts), so a
   * test with a manual clock moves retries on by advancing it. Default: Node's timers.
   */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  signal?: AbortSignal;
  /** Told about every retried failure (for logs and the progress display). */
  onRetry?: (fn: string, attempt: number, failure: RpcFailure, delayMs: number) => void;
}

/**
 * Transient: the request may or may not have reached the database and may be sent again, because
 * every ingest function is idempotent. Network loss (status 0), gateway/proxy errors, overload,
 * serialisation failures and an expired access token (refreshed on the next try) are transient.
 */
export function isTransient(f: RpcFailure): boolean {
  if (f.status === 0) return true;
  if ([408, 425, 429, 502, 503, 504, 520, 521, 522, 523, 524].includes(f.status)) return true;
  // Serialisation failure, deadlock, statement timeout (Supabase: 8 s), lock timeout (authenticator: 8 s),
  // a lost or restarting server.
  if (['40001', '40P01', '57014', '55P03', '57P01'].includes(f.code) || f.code.startsWith('08')) return true;
  if (f.status === 401 && (f.code === 'PGRST301' || f.code === 'PGRST303')) return true;
  return false;
}

/** What each call does, in the words a person reading an error would use. */
const ACTIONS: Readonly<Record<string, string>> = {
  begin_upload: 'starting the upload',
  stage_rows: 'sending rows',
  stage_batch: 'sending rows',
  resolve_dimensions: 'saving campaigns, ad sets and ads',
  write_facts: 'writing daily rows',
  finish_upload: 'finishing the upload',
  promote_upload: 'committing the dry run',
  upload_progress: 'asking what the server already has',
  fail_upload: 'recording the failure',
  preflight: 'running the pre-flight checks',
};

const CODE_PREFIX = /^\[([A-Z][A-Z_]*)\] /;

/**
 * The data-contract code and the sentence of a refusal. The database puts the code in `hint` and
 * also at the head of the message as `[CODE] ` (migration 020), because PostgREST's
 * `client-error-verbosity = minimal` drops `hint` and `details` but keeps `message`. The prefix is
 * never shown: the sentence is the message without it.
 */
export function parseRefusal(f: Pick<RpcFailure, 'message' | 'hint'>): { code: Code | null; message: string } {
  const prefix = CODE_PREFIX.exec(f.message);
  const message = prefix ? f.message.slice(prefix[0].length) : f.message;
  const fromHint = ErrorCode.safeParse(f.hint ?? '');
  if (fromHint.success) return { code: fromHint.data, message };
  const fromPrefix = ErrorCode.safeParse(prefix?.[1] ?? '');
  return { code: fromPrefix.success ? fromPrefix.data : null, message };
}

/** Maps a refusal to the data contract's code (`hint`, else the message's `[CODE] ` prefix; docs/architecture.md). */
export function toAppError(fn: string, failure: RpcFailure, stage?: string): AppError {
  const refusal = parseRefusal(failure);
  if (refusal.code !== null) return new AppError(refusal.code, refusal.message, stage);
  const f = { ...failure, message: refusal.message };
  const action = ACTIONS[fn] ?? fn;
  let code: Code = 'SERVER_ERROR';
  if (f.status === 0) code = 'NETWORK_ERROR';
  else if (f.code === '42501' || f.status === 401 || f.status === 403) code = 'NOT_AUTHORIZED';
  const answer = [f.status ? `HTTP ${f.status}` : null, f.code || null].filter(Boolean).join(', ');
  const text =
    code === 'NETWORK_ERROR'
      ? `The project could not be reached while ${action} (${f.message}). Check the connection; nothing is lost and the upload can be resumed.`
      : code === 'NOT_AUTHORIZED'
        ? `The project refused ${action} (${answer}: ${f.message}). Sign in again, or ask a workspace owner for access.`
        : `The project failed while ${action} (${answer}: ${f.message}). Nothing is lost; try again later with "resume".`;
  return new AppError(code, text, stage);
}

export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  // Full jitter: a uniformly random wait up to the exponential cap, so retries of many clients spread out.
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(cap / 2 + (random() * cap) / 2);
}

const cancelled = (stage?: string) => new AppError('CANCELLED', 'The upload was cancelled; it can be resumed.', stage);

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Waits `ms` with `sleep`; a wait ended by `signal` is CANCELLED whatever the sleep rejected with
 * (a clock's sleep rejects with the signal's reason, an AbortError).
 */
async function waitBeforeRetry(
  sleep: NonNullable<RpcDeps['sleep']>,
  ms: number,
  signal: AbortSignal | undefined,
  stage: string | undefined,
): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (err) {
    if (signal?.aborted) throw cancelled(stage);
    throw err;
  }
}

/**
 * Calls a database function and retries transient failures with exponential backoff and jitter.
 * postgrest-js never retries a POST, so this is where exactly-once *effect* meets at-least-once
 * delivery: safe only because the functions are idempotent.
 */
export async function callRpc<T>(deps: RpcDeps, fn: string, args: Record<string, unknown>, stage?: string): Promise<T> {
  const policy = deps.retry ?? DEFAULT_RETRY;
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  let last: RpcFailure | null = null;
  for (let attempt = 0; attempt < policy.attempts; attempt++) {
    if (deps.signal?.aborted) throw cancelled(stage);
    const res = await deps.client.rpc(fn, args);
    if (!res.error) return res.data as T;
    last = {
      status: res.status,
      code: res.error.code ?? '',
      message: res.error.message ?? '',
      hint: res.error.hint ?? null,
      details: res.error.details ?? null,
    };
    if (!isTransient(last) || attempt === policy.attempts - 1) break;
    const delay = backoffDelay(attempt, policy, random);
    deps.onRetry?.(fn, attempt + 1, last, delay);
    await waitBeforeRetry(sleep, delay, deps.signal, stage);
  }
  throw toAppError(fn, last as RpcFailure, stage);
}
