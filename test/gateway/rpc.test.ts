import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from './jwt.ts';
import { gatewayFixture, raw, testClient, type GatewayFixture } from './harness.ts';
import { TOY_SCHEMA_SQL } from './toy-schema.ts';
import type { SupabaseClient } from '@supabase/supabase-js';

// Transactions, settings, RPC calls and error mapping: docs/gateway-contract.md, "One request, one
// transaction", "Function calls" and "Errors".

let fx: GatewayFixture;
let member: SupabaseClient;
let anon: SupabaseClient;
let memberId: string;
let memberToken: string;
const EMAIL = 'rpc.member@northwind-media.test';
const PASSWORD = 'rpc member password';

beforeAll(async () => {
  fx = await gatewayFixture();
  await fx.sql(TOY_SCHEMA_SQL);
  await fx.sql(`insert into public.gw_items (id, name, qty) values (1, 'alpha', 5), (2, 'beta', 7), (3, 'gamma', null)`);
  memberId = (await fx.gateway.createUser({ email: EMAIL, password: PASSWORD })).id;
  member = testClient(fx.gateway).supabase;
  const { data } = await member.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
  memberToken = data.session?.access_token ?? '';
  anon = testClient(fx.gateway).supabase;
});
afterAll(async () => {
  await fx?.gateway.close();
});

interface WhoAmI {
  uid: string | null;
  current_user: string;
  claims: Record<string, unknown>;
  method: string;
  path: string;
  headers: Record<string, string>;
  read_only: string;
  statement_timeout: string;
  search_path: string;
  txid?: string;
}

describe('one transaction per request with PostgREST settings', () => {
  it('runs as the JWT role with request.jwt.claims (including role), auth.uid() = sub, method, path and headers', async () => {
    const { data, error } = await member.rpc('gw_whoami');
    expect(error).toBeNull();
    const w = data as WhoAmI;
    expect(w.uid).toBe(memberId);
    expect(w.current_user).toBe('authenticated');
    expect(w.claims).toMatchObject({ sub: memberId, role: 'authenticated', aud: 'authenticated', email: EMAIL });
    expect(w.method).toBe('POST');
    expect(w.path).toBe('/rpc/gw_whoami');
    expect(w.headers['x-client-info']).toMatch(/^supabase-js/);
    expect(w.headers).not.toHaveProperty('cookie');
    expect(w.search_path).toBe('"public", "extensions"');
    // the role's own ALTER ROLE … SET statement_timeout applies, as PostgREST applies it
    expect(w.statement_timeout).toBe('8s');
  });

  it('runs anonymous requests as anon with {"role":"anon"} claims', async () => {
    const { data } = await anon.rpc('gw_whoami');
    const w = data as WhoAmI;
    expect(w.current_user).toBe('anon');
    expect(w.uid).toBeNull();
    expect(w.claims.role).toBe('anon');
    expect(w.statement_timeout).toBe('3s');
  });

  it('runs a token without a role claim as anon, and still puts role into request.jwt.claims', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ sub: memberId, iat: now, exp: now + 600 }, fx.gateway.jwtSecret);
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_whoami', {
      method: 'POST',
      body: {},
      headers: { authorization: `Bearer ${token}` },
    });
    const w = res.json as WhoAmI;
    expect(w.current_user).toBe('anon');
    expect(w.claims).toEqual({ sub: memberId, iat: now, exp: now + 600, role: 'anon' });
  });

  it('leaves no request settings behind on the pooled connection', async () => {
    // Many anon calls after an authenticated one: none may see the member's claims.
    await member.rpc('gw_whoami');
    const results = await Promise.all(Array.from({ length: 12 }, () => anon.rpc('gw_whoami')));
    for (const r of results) expect((r.data as WhoAmI).uid).toBeNull();
  });

  it('rolls the whole request back when the function fails after writing', async () => {
    const marker = `rollback-${randomUUID()}`;
    const { error } = await member.rpc('gw_log_then_fail', { p_message: marker });
    expect(error?.hint).toBe('ROLLED_BACK');
    const rows = await fx.sql('select 1 from public.gw_log where message = $1', [marker]);
    expect(rows).toHaveLength(0);
  });

  it('runs STABLE/IMMUTABLE functions READ ONLY and VOLATILE ones READ WRITE on POST', async () => {
    const stable = await member.rpc('gw_whoami');
    expect((stable.data as WhoAmI).read_only).toBe('on');
    const volatile = await member.rpc('gw_whoami_volatile');
    expect((volatile.data as WhoAmI).read_only).toBe('off');
  });

  it('runs GET and HEAD READ ONLY: a writing function called by GET is refused with 405 / 25006', async () => {
    const get = await member.rpc('gw_whoami', {}, { get: true });
    expect((get.data as WhoAmI).read_only).toBe('on');
    expect((get.data as WhoAmI).method).toBe('GET');
    const write = await member.rpc('gw_log_message', { p_message: 'by get' }, { get: true });
    expect(write.status).toBe(405);
    expect(write.error?.code).toBe('25006');
    const head = await member.rpc('gw_numbers', { p_upto: 3 }, { head: true });
    expect(head.status).toBe(200);
    expect(head.data).toBeNull();
  });
});

describe('JWT checks on /rest/v1', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('answers an expired token with 401 PGRST301/PGRST303 and WWW-Authenticate', async () => {
    const expired = signJwt({ sub: memberId, role: 'authenticated', iat: now() - 7200, exp: now() - 3600 }, fx.gateway.jwtSecret);
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_whoami', {
      method: 'POST',
      body: {},
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(res.status).toBe(401);
    expect(['PGRST301', 'PGRST303']).toContain((res.json as { code: string }).code);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('answers a forged token with 401 PGRST301 and WWW-Authenticate', async () => {
    const forged = signJwt({ sub: memberId, role: 'service_role', exp: now() + 3600 }, 'someone-elses-secret-of-enough-length!!');
    for (const token of [forged, 'not.a.jwt', 'garbage']) {
      const res = await raw(fx.gateway, '/rest/v1/rpc/gw_whoami', {
        method: 'POST',
        body: {},
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
      expect((res.json as { code: string }).code).toBe('PGRST301');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('answers a token whose role authenticator cannot become with 401', async () => {
    for (const role of ['postgres', 'no_such_role']) {
      const token = signJwt({ sub: memberId, role, exp: now() + 3600 }, fx.gateway.jwtSecret);
      const res = await raw(fx.gateway, '/rest/v1/rpc/gw_whoami', {
        method: 'POST',
        body: {},
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
    }
  });

  it('accepts the access token until exp even after the user signed out (no revocation list)', async () => {
    const c = testClient(fx.gateway).supabase;
    const { data } = await c.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    const token = data.session?.access_token ?? '';
    await raw(fx.gateway, '/auth/v1/logout?scope=local', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_whoami', {
      method: 'POST',
      body: {},
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });
});

describe('RPC calls', () => {
  it('matches named arguments in any key order', async () => {
    const a = await member.rpc('gw_concat', { p_first: 'x', p_second: 'y' });
    const b = await member.rpc('gw_concat', { p_second: 'y', p_first: 'x' });
    expect(a.data).toBe('x+y');
    expect(b.data).toBe('x+y');
  });

  it('lets arguments with defaults be omitted', async () => {
    expect((await member.rpc('gw_add', { a: 1 })).data).toBe(11);
    expect((await member.rpc('gw_add', { a: 1, b: 2 })).data).toBe(3);
  });

  it('answers an extra key or a missing required one with 404 PGRST202', async () => {
    const extra = await member.rpc('gw_add', { a: 1, c: 3 });
    expect(extra.status).toBe(404);
    expect(extra.error?.code).toBe('PGRST202');
    expect(extra.error?.message).toBe('Could not find the function public.gw_add(a, c) in the schema cache');
    const missing = await member.rpc('gw_concat', { p_first: 'x' });
    expect(missing.error?.code).toBe('PGRST202');
    const unknown = await member.rpc('gw_no_such_function');
    expect(unknown.status).toBe(404);
    expect(unknown.error?.code).toBe('PGRST202');
  });

  it('calls a no-argument function with {}', async () => {
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_no_args', { method: 'POST', body: {} });
    expect(res.json).toBe('nothing needed');
    expect((await member.rpc('gw_no_args')).data).toBe('nothing needed');
  });

  it('picks the overload whose argument names match, and answers 300 PGRST203 when two match', async () => {
    expect((await member.rpc('gw_overload', { p_a: 1 })).data).toBe('a');
    expect((await member.rpc('gw_overload', { p_b: 'x' })).data).toBe('b');
    const both = await member.rpc('gw_ambiguous', { p_x: 1 });
    expect(both.status).toBe(300);
    expect(both.error?.code).toBe('PGRST203');
  });

  it('gives the whole body to a function with one unnamed json parameter', async () => {
    const body = { rows: [{ row_number: 17, payload: { spend: '1.50' } }], nested: { ok: true } };
    const { data } = await member.rpc('gw_echo', body);
    expect(data).toEqual(body);
  });

  it('converts argument types as PostgreSQL declares them (uuid, timestamptz, text[], jsonb, bigint as string)', async () => {
    const id = randomUUID();
    const { data, error } = await member.rpc('gw_types', {
      p_id: id,
      p_when: '2025-03-01T10:00:00Z',
      p_tags: ['a', 'b,c'],
      p_doc: { k: [1, 2] },
      p_big: '9007199254740993',
    });
    expect(error).toBeNull();
    expect(data).toMatchObject({ id, tags: ['a', 'b,c'], doc: { k: [1, 2] }, big: '9007199254740993', big_plus_one: '9007199254740994' });
    expect(new Date((data as { when: string }).when).toISOString()).toBe('2025-03-01T10:00:00.000Z');
  });

  it('passes GET arguments from the query string', async () => {
    const { data } = await member.rpc('gw_add', { a: 4, b: 5 }, { get: true });
    expect(data).toBe(9);
  });

  it('answers a void function with 204 and no body', async () => {
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_log_void', {
      method: 'POST',
      body: { p_message: 'void call' },
      headers: { authorization: `Bearer ${memberToken}` },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const viaClient = await member.rpc('gw_log_void', { p_message: 'void call 2' });
    expect(viaClient.error).toBeNull();
    expect(viaClient.data).toBeNull();
    expect(viaClient.status).toBe(204);
  });

  it('returns a scalar as its JSON value, a composite as one object, setof scalar as an array of values, a table as an array of objects', async () => {
    expect((await member.rpc('gw_add', { a: 1 })).data).toBe(11);
    expect((await member.rpc('gw_item', { p_id: 1 })).data).toEqual({
      id: 1,
      name: 'alpha',
      qty: 5,
      price: null,
      tags: null,
      made_on: null,
      note: 'none',
    });
    expect((await member.rpc('gw_numbers', { p_upto: 3 })).data).toEqual([1, 2, 3]);
    expect((await member.rpc('gw_item_table', { p_min: 2 })).data).toEqual([
      { id: 2, name: 'beta' },
      { id: 3, name: 'gamma' },
    ]);
  });

  it('applies filters, order, limit and count to a set-returning function', async () => {
    const { data, count } = await member
      .rpc('gw_item_table', { p_min: 1 }, { count: 'exact' })
      .neq('name', 'beta')
      .order('id', { ascending: false })
      .limit(1);
    expect(data).toEqual([{ id: 3, name: 'gamma' }]);
    expect(count).toBe(2);
  });

  it('runs a writing function and commits', async () => {
    const { data, error } = await member.rpc('gw_log_message', { p_message: 'committed by rpc' });
    expect(error).toBeNull();
    const rows = await fx.sql<{ id: string }>(`select id::text from public.gw_log where message = 'committed by rpc'`);
    expect(rows.map((r) => Number(r.id))).toEqual([data]);
  });

  it('refuses EXECUTE that is not granted with 42501 (401 anon, 403 authenticated)', async () => {
    await fx.sql(
      `create function public.gw_private() returns int language sql as 'select 1'; revoke execute on function public.gw_private() from public, anon, authenticated`,
    );
    const a = await anon.rpc('gw_private');
    expect(a.status).toBe(401);
    expect(a.error?.code).toBe('42501');
    const m = await member.rpc('gw_private');
    expect(m.status).toBe(403);
    expect(m.error?.code).toBe('42501');
  });
});

describe('errors', () => {
  it('relays RAISE EXCEPTION … USING DETAIL, HINT as 400 {code:"P0001",message,details,hint}', async () => {
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_raise', { method: 'POST', body: { p_kind: 'p0001' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.json).toEqual({ code: 'P0001', message: 'duplicate batch', details: 'key dup', hint: 'use another key' });
    const viaClient = await member.rpc('gw_raise', { p_kind: 'p0001' });
    expect(viaClient.error).toMatchObject({ code: 'P0001', message: 'duplicate batch', details: 'key dup', hint: 'use another key' });
  });

  it('maps RAISE SQLSTATE PT409 to 409', async () => {
    const { status, error } = await member.rpc('gw_raise', { p_kind: 'pt409' });
    expect(status).toBe(409);
    expect(error?.code).toBe('PT409');
  });

  it.each([
    ['unique', 409, '23505'],
    ['fk', 409, '23503'],
    ['bad_input', 400, '22P02'],
    ['not_null', 400, '23502'],
    ['cardinality', 500, '21000'],
    ['privilege', 403, '42501'],
  ])('maps %s to HTTP %i with code %s', async (kind, status, code) => {
    const res = await member.rpc('gw_raise', { p_kind: kind });
    expect(res.status).toBe(status);
    expect(res.error?.code).toBe(code);
    expect(Object.keys(res.error ?? {}).sort()).toEqual(['code', 'details', 'hint', 'message']);
  });

  it('maps 42501 for anon to 401 with WWW-Authenticate', async () => {
    const res = await raw(fx.gateway, '/rest/v1/rpc/gw_raise', { method: 'POST', body: { p_kind: 'privilege' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('always answers with exactly code, message, details and hint', async () => {
    const bodies = [
      await raw(fx.gateway, '/rest/v1/rpc/gw_nothing', { method: 'POST', body: {} }),
      await raw(fx.gateway, '/rest/v1/gw_nothing'),
      await raw(fx.gateway, '/rest/v1/gw_items?select=nope'),
      await raw(fx.gateway, '/rest/v1/rpc/gw_add', { method: 'POST', body: '{not json' }),
    ];
    for (const b of bodies) {
      expect(b.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Object.keys(b.json as object).sort()).toEqual(['code', 'details', 'hint', 'message']);
    }
    expect(bodies.map((b) => b.status)).toEqual([404, 404, 400, 400]);
  });
});
