import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import type { FaultRequest } from './faults.ts';
import { gatewayFixture, testClient, type GatewayFixture, type TestClient } from './harness.ts';
import { TOY_SCHEMA_SQL } from './toy-schema.ts';

// Fault injection for the upload engine's tests: what the client sees, and what the database holds.

let fx: GatewayFixture;
let member: TestClient;
let db: SupabaseClient;

beforeAll(async () => {
  fx = await gatewayFixture();
  await fx.sql(TOY_SCHEMA_SQL);
  await fx.gateway.createUser({ email: 'faults@northwind-media.test', password: 'faults password' });
  member = testClient(fx.gateway);
  db = member.supabase;
  await db.auth.signInWithPassword({ email: 'faults@northwind-media.test', password: 'faults password' });
});
afterAll(async () => {
  await fx?.gateway.close();
});
beforeEach(() => {
  fx.gateway.faults.clear();
  member.requests.length = 0;
});

const logged = async (message: string) =>
  (await fx.sql<{ n: string }>('select count(*)::text as n from public.gw_log where message = $1', [message]))[0]?.n;

describe('drop-after-commit', () => {
  it('commits the write, then drops the connection: the client sees a network error', async () => {
    const fault = fx.gateway.faults.add({ match: /\/rpc\/gw_log_message$/, kind: 'drop-after-commit', times: 1 });
    const lost = await db.rpc('gw_log_message', { p_message: 'written but unanswered' });
    expect(lost.data).toBeNull();
    expect(lost.status).toBe(0);
    expect(lost.error?.message).toMatch(/fetch failed/i);
    expect(fault.hits).toBe(1);
    expect(fault.remaining).toBe(0);
    expect(await logged('written but unanswered')).toBe('1');

    // The fault is used up: the next call is answered.
    const next = await db.rpc('gw_log_message', { p_message: 'answered' });
    expect(next.error).toBeNull();
    expect(fault.hits).toBe(1);
  });

  it('matches by predicate on the JSON body and counts only matching requests', async () => {
    const fault = fx.gateway.faults.add({
      match: (req) => req.path === '/rest/v1/rpc/gw_log_message' && (req.body as { p_message?: string })?.p_message === 'batch 2',
      kind: 'drop-after-commit',
      times: 2,
    });
    const results = [];
    for (const m of ['batch 1', 'batch 2', 'batch 3', 'batch 2']) results.push(await db.rpc('gw_log_message', { p_message: m }));
    expect(results.map((r) => r.status)).toEqual([200, 0, 200, 0]);
    expect(fault.hits).toBe(2);
    expect(await logged('batch 2')).toBe('2');
    expect(fx.gateway.faults.applied.map((a) => `${a.kind} ${a.method} ${a.path}`)).toEqual([
      'drop-after-commit POST /rest/v1/rpc/gw_log_message',
      'drop-after-commit POST /rest/v1/rpc/gw_log_message',
    ]);
  });

  it('applies to auth endpoints too: the session is created although sign-in saw a network error', async () => {
    fx.gateway.faults.add({ match: /\/auth\/v1\/token$/, kind: 'drop-after-commit' });
    const before = Number((await fx.sql<{ n: string }>('select count(*)::text as n from test_gateway.sessions'))[0]?.n);
    const c = testClient(fx.gateway).supabase;
    const { error } = await c.auth.signInWithPassword({ email: 'faults@northwind-media.test', password: 'faults password' });
    expect(error?.name).toBe('AuthRetryableFetchError');
    const after = Number((await fx.sql<{ n: string }>('select count(*)::text as n from test_gateway.sessions'))[0]?.n);
    expect(after).toBe(before + 1);
  });
});

describe('status-503-before-sql', () => {
  it('answers 503 and runs nothing; postgrest-js does not retry a POST', async () => {
    const fault = fx.gateway.faults.add({ match: /\/rpc\/gw_log_message$/, kind: 'status-503-before-sql', times: 1 });
    const res = await db.rpc('gw_log_message', { p_message: 'never written' });
    expect(res.status).toBe(503);
    expect(Object.keys(res.error ?? {}).sort()).toEqual(['code', 'details', 'hint', 'message']);
    expect(fault.hits).toBe(1);
    expect(await logged('never written')).toBe('0');
    expect(member.requests.filter((r) => r.url.pathname === '/rest/v1/rpc/gw_log_message')).toHaveLength(1);
  });

  it('a GET answered 503 once is retried by postgrest-js and then succeeds', async () => {
    await fx.sql(`insert into public.gw_items (id, name) values (1, 'retried') on conflict do nothing`);
    const fault = fx.gateway.faults.add({ match: /\/rest\/v1\/gw_items$/, kind: 'status-503-before-sql', times: 1 });
    const { data, error } = await db.from('gw_items').select('name').eq('id', 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ name: 'retried' }]);
    expect(fault.hits).toBe(1);
    const gets = member.requests.filter((r) => r.url.pathname === '/rest/v1/gw_items');
    expect(gets).toHaveLength(2);
    expect(gets[1]?.headers.get('x-retry-count')).toBe('1');
  });
});

describe('delay', () => {
  it('holds a matching request back while others are answered', async () => {
    let slowArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const isSlow = (r: FaultRequest) => (r.body as { p_message?: string })?.p_message === 'slow';
    const fault = fx.gateway.faults.add({ match: (r) => isSlow(r) && (slowArrived(), true), kind: 'delay', ms: 400 });
    const order: string[] = [];
    const slow = db.rpc('gw_log_message', { p_message: 'slow' }).then((r) => order.push(`slow ${r.status}`));
    await arrived; // the slow request is being held when the fast one is sent
    const fast = db.rpc('gw_log_message', { p_message: 'fast' }).then((r) => order.push(`fast ${r.status}`));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast 200', 'slow 200']);
    expect(fault.hits).toBe(1);
  });

  it('idle() resolves once a request whose client gave up has committed', async () => {
    let heldBack!: () => void;
    const held = new Promise<void>((resolve) => (heldBack = resolve));
    fx.gateway.faults.add({ match: (r) => r.path.endsWith('/rpc/gw_log_message') && (heldBack(), true), kind: 'delay', ms: 300 });
    const abort = new AbortController();
    // A query builder sends nothing until awaited: Promise.resolve starts it.
    const call = Promise.resolve(db.rpc('gw_log_message', { p_message: 'outlived its client' }).abortSignal(abort.signal));
    await held;
    abort.abort();
    expect((await call).error?.message).toMatch(/abort/i);
    expect(await logged('outlived its client')).toBe('0');
    await fx.gateway.idle();
    expect(await logged('outlived its client')).toBe('1');
    await fx.gateway.idle(); // nothing in flight: resolves at once
  });

  it('refuses a delay fault without ms', () => {
    expect(() => fx.gateway.faults.add({ match: /x/, kind: 'delay' })).toThrow(/ms/);
  });
});

describe('removal', () => {
  it('a removed fault no longer applies', async () => {
    const fault = fx.gateway.faults.add({ match: /gw_log_message/, kind: 'status-503-before-sql', times: Infinity });
    expect((await db.rpc('gw_log_message', { p_message: 'blocked' })).status).toBe(503);
    fault.remove();
    expect((await db.rpc('gw_log_message', { p_message: 'through' })).status).toBe(200);
    expect(fault.hits).toBe(1);
  });
});
