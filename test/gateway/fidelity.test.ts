import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { gatewayFixture, raw, testClient, type GatewayFixture } from './harness.ts';
import { startGateway, type Gateway, type GatewayOptions } from './server.ts';
import { TOY_SCHEMA_SQL } from './toy-schema.ts';

// Where the test gateway must be exactly as strict as PostgREST on hosted Supabase: the row cap
// (`db-max-rows`, Supabase's `max_rows` = 1,000) and the error verbosity (`client-error-verbosity`).

let fx: GatewayFixture;
let db: SupabaseClient;
const extra: Gateway[] = [];

beforeAll(async () => {
  fx = await gatewayFixture();
  await fx.sql(TOY_SCHEMA_SQL);
  await fx.sql(`insert into public.gw_items (id, name) select i, 'item ' || i from generate_series(1, 1500) i`);
  db = testClient(fx.gateway).supabase;
});
afterAll(async () => {
  for (const g of extra) await g.close();
  await fx?.gateway.close();
});

async function gateway(opts: Omit<GatewayOptions, 'databaseUrl'>): Promise<Gateway> {
  const g = await startGateway({ databaseUrl: fx.databaseUrl, ...opts });
  extra.push(g);
  return g;
}

describe('row cap (db-max-rows = 1,000 by default, as on hosted Supabase)', () => {
  it('a plain read answers the first 1,000 rows only, with 200 and no word about the rest', async () => {
    const { data, error, status, count } = await db.from('gw_items').select('id').order('id');
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(count).toBeNull();
    expect(data).toHaveLength(1000);
    const res = await raw(fx.gateway, '/rest/v1/gw_items?select=id&order=id');
    expect(res.headers.get('content-range')).toBe('0-999/*');
  });

  it('a larger limit is capped too; with count=exact the total is told and the answer is 206', async () => {
    const { data, count, status } = await db.from('gw_items').select('id', { count: 'exact' }).order('id').limit(5000);
    expect(data).toHaveLength(1000);
    expect(count).toBe(1500);
    expect(status).toBe(206);
  });

  it('a smaller limit, an offset (range) and a keyset page read past the cap', async () => {
    expect((await db.from('gw_items').select('id').limit(10)).data).toHaveLength(10);
    const second = await db.from('gw_items').select('id').order('id').range(1000, 1999);
    expect((second.data as Array<{ id: number }>).map((r) => r.id)).toEqual(Array.from({ length: 500 }, (_, i) => 1001 + i));
    const after = await db.from('gw_items').select('id').order('id').gt('id', 1000).limit(1000);
    expect(after.data).toHaveLength(500);
  });

  it('a set-returning function is capped as a table is', async () => {
    const { data } = await db.rpc('gw_numbers', { p_upto: 1200 });
    expect(data).toHaveLength(1000);
  });

  it('is configurable, and can be switched off', async () => {
    const small = testClient(await gateway({ maxRows: 100 })).supabase;
    expect((await small.from('gw_items').select('id')).data).toHaveLength(100);
    const none = testClient(await gateway({ maxRows: null })).supabase;
    expect((await none.from('gw_items').select('id')).data).toHaveLength(1500);
  });
});

describe('client-error-verbosity', () => {
  it('verbose (the default) answers code, details, hint and message', async () => {
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_raise', { method: 'POST', body: { p_kind: 'p0001' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 'P0001', details: 'key dup', hint: 'use another key', message: 'duplicate batch' });
  });

  it('minimal answers {code, message} alone: hint and details are gone, for raised errors and the gateway’s own', async () => {
    const minimal = await gateway({ clientErrorVerbosity: 'minimal' });
    const res = await raw(minimal, '/rest/v1/rpc/gw_raise', { method: 'POST', body: { p_kind: 'p0001' } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: 'P0001', message: 'duplicate batch' });
    const viaClient = await testClient(minimal).supabase.rpc('gw_raise', { p_kind: 'p0001' });
    expect(viaClient.error?.message).toBe('duplicate batch');
    expect(viaClient.error?.hint).toBeUndefined();
    expect(viaClient.error?.details).toBeUndefined();
    const unknown = await raw(minimal, '/rest/v1/no_such_table');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ code: 'PGRST205', message: "Could not find the table 'public.no_such_table' in the schema cache" });
  });
});

describe('pg-safeupdate (Supabase preloads it for authenticator)', () => {
  it('an UPDATE or DELETE without a filter is refused with 21000 and nothing changes', async () => {
    const member = testClient(fx.gateway).supabase;
    const del = await member.from('gw_items').delete();
    expect(del.status).toBe(400);
    expect(del.error).toMatchObject({ code: '21000', message: 'DELETE requires a WHERE clause' });
    const upd = await member.from('gw_items').update({ note: 'all of them' });
    expect(upd.status).toBe(400);
    expect(upd.error).toMatchObject({ code: '21000', message: 'UPDATE requires a WHERE clause' });
    const left = await fx.sql<{ n: string }>(`select count(*)::text n from public.gw_items where note is distinct from 'all of them'`);
    expect(left[0]?.n).toBe('1500');
  });
});

describe('the API roles run with Supabase’s timeouts', () => {
  it('anon 3 s and authenticated 8 s statement timeouts, authenticator’s 8 s lock timeout, inside each request', async () => {
    await fx.sql(`set role postgres;
      create function public.gw_timeouts() returns jsonb language sql stable as $$
        select jsonb_build_object('statement', current_setting('statement_timeout'), 'lock', current_setting('lock_timeout'), 'role', current_user) $$;
      grant execute on function public.gw_timeouts() to anon, authenticated`);
    const anon = await testClient(fx.gateway).supabase.rpc('gw_timeouts');
    expect(anon.data).toEqual({ statement: '3s', lock: '8s', role: 'anon' });
    const member = testClient(fx.gateway).supabase;
    await fx.gateway.createUser({ email: 'timeouts@northwind-media.test', password: 'timeouts password' });
    await member.auth.signInWithPassword({ email: 'timeouts@northwind-media.test', password: 'timeouts password' });
    expect((await member.rpc('gw_timeouts')).data).toEqual({ statement: '8s', lock: '8s', role: 'authenticated' });
  });
});
