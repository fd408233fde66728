import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { expect } from 'vitest';

/** A signed-in user as PostgREST presents one to PostgreSQL: role `authenticated` plus JWT claims. */
export interface Actor {
  id: string;
  email: string;
}

/** Who runs a statement: a user, the anonymous role, or the service role (no user). */
export type Identity = Actor | 'anon' | 'service_role';

export interface AsOptions {
  /** Roll back instead of committing (the default is to commit, as a PostgREST request does). */
  rollback?: boolean;
}

/**
 * Opens a transaction on `client` with the identity PostgREST would set for `who`. The caller ends
 * it; used directly by tests that hold a transaction open while another request runs.
 */
export async function beginAs(client: pg.Client, who: Identity): Promise<void> {
  const role = who === 'anon' || who === 'service_role' ? who : 'authenticated';
  const claims =
    who === 'anon' || who === 'service_role'
      ? { role: who }
      : { sub: who.id, email: who.email, role: 'authenticated', aud: 'authenticated' };
  await client.query('begin');
  try {
    await client.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [role, JSON.stringify(claims)]);
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

/**
 * Runs one statement the way PostgREST runs a request: in its own transaction, after
 * `set_config('role', …, true)` and `set_config('request.jwt.claims', …, true)`. Commits (or rolls
 * back with `rollback: true`); on error rolls back and rethrows the PostgreSQL error unchanged, so
 * callers can assert its SQLSTATE, message and hint.
 */
export async function asIdentity(
  client: pg.Client,
  who: Identity,
  sql: string,
  params: unknown[] = [],
  opts: AsOptions = {},
): Promise<pg.QueryResult> {
  await beginAs(client, who);
  try {
    const result = await client.query(sql, params);
    await client.query(opts.rollback ? 'rollback' : 'commit');
    return result;
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

/** Shorthand for a user. */
export async function asUser(client: pg.Client, who: Actor, sql: string, params: unknown[] = [], opts: AsOptions = {}) {
  return await asIdentity(client, who, sql, params, opts);
}

/**
 * Calls `public.<fn>` with named arguments, as PostgREST's `/rpc/<fn>` does, and returns its jsonb
 * answer. Objects and arrays are sent as JSON text (jsonb parameters).
 */
export async function callRpc<T = Record<string, unknown>>(
  client: pg.Client,
  who: Identity,
  fn: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  const names = Object.keys(args);
  const values = names.map((n) => {
    const v = args[n];
    return v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
  });
  const list = names.map((n, i) => `${n} => $${i + 1}`).join(', ');
  const r = await asIdentity(client, who, `select public.${fn}(${list}) as answer`, values);
  return r.rows[0]?.answer as T;
}

/** The parts of a PostgreSQL error supabase-js shows the app (`error.code`, `.message`, `.hint`, `.details`). */
export interface PgFailure {
  code: string | undefined;
  message: string;
  hint: string | undefined;
  detail: string | undefined;
}

export async function failureOf(promise: Promise<unknown>): Promise<PgFailure> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: string; message: string; hint?: string; detail?: string };
    return { code: e.code, message: e.message, hint: e.hint, detail: e.detail };
  }
  throw new Error('expected the statement to fail, but it succeeded');
}

/**
 * Asserts a refusal as docs/architecture.md defines it: SQLSTATE P0001, the data-contract code in
 * the hint and again at the head of the message (`[CODE] `, which survives PostgREST's minimal
 * error verbosity), then a sentence (capital first letter, full stop at the end). Returns the
 * failure, its message without the prefix, for further assertions (message content, detail JSON).
 */
export async function expectRefusal(promise: Promise<unknown>, code: string, message?: RegExp): Promise<PgFailure> {
  const f = await failureOf(promise);
  expect({ code: f.code, hint: f.hint }, f.message).toEqual({ code: 'P0001', hint: code });
  expect(f.message.startsWith(`[${code}] `), f.message).toBe(true);
  const sentence = f.message.slice(code.length + 3);
  expect(sentence).toMatch(/^[A-Z"].*[.)]$/s);
  if (message) expect(sentence).toMatch(message);
  return { ...f, message: sentence };
}

/** Asserts PostgreSQL refused for lack of privilege (a missing GRANT or a WITH CHECK failure). */
export async function expectDenied(promise: Promise<unknown>): Promise<PgFailure> {
  const f = await failureOf(promise);
  expect(f.code, f.message).toBe('42501');
  return f;
}

export function newId(): string {
  return randomUUID();
}
