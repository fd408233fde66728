import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { gatewayFixture, raw, testClient, type GatewayFixture } from './harness.ts';
import { TOY_SCHEMA_SQL } from './toy-schema.ts';

// docs/gateway-contract.md, "Table reads and writes": table reads through supabase-js's query builder.

let fx: GatewayFixture;
let db: SupabaseClient;

beforeAll(async () => {
  fx = await gatewayFixture();
  await fx.sql(TOY_SCHEMA_SQL);
  await fx.sql(`insert into public.gw_items (id, name, qty, price, made_on, note) values
    (1, 'Alpha Spring', 5, 1.50, '2025-03-01', 'plain'),
    (2, 'beta, with comma', 7, 2.25, '2025-03-02', null),
    (3, 'Gamma "quoted"', null, 0.00, '2025-03-03', 'x'),
    (4, 'delta(paren)', 12, 10.00, null, 'x'),
    (5, 'epsilon', 7, null, '2025-03-05', 'y')`);
  db = testClient(fx.gateway).supabase;
});
afterAll(async () => {
  await fx?.gateway.close();
});

const ids = (rows: unknown) => (rows as Array<{ id: number }>).map((r) => r.id);

describe('filters', () => {
  it('eq / neq / gt / gte / lt / lte', async () => {
    expect(ids((await db.from('gw_items').select('id').eq('qty', 7).order('id')).data)).toEqual([2, 5]);
    expect(ids((await db.from('gw_items').select('id').neq('qty', 7).order('id')).data)).toEqual([1, 4]);
    expect(ids((await db.from('gw_items').select('id').gt('qty', 5).order('id')).data)).toEqual([2, 4, 5]);
    expect(ids((await db.from('gw_items').select('id').gte('qty', 7).order('id')).data)).toEqual([2, 4, 5]);
    expect(ids((await db.from('gw_items').select('id').lt('price', 2).order('id')).data)).toEqual([1, 3]);
    expect(ids((await db.from('gw_items').select('id').lte('made_on', '2025-03-02').order('id')).data)).toEqual([1, 2]);
  });

  it('like and ilike with * wildcards', async () => {
    expect(ids((await db.from('gw_items').select('id').like('name', '*pha*')).data)).toEqual([1]);
    expect(ids((await db.from('gw_items').select('id').like('name', 'alpha*')).data)).toEqual([]);
    expect(ids((await db.from('gw_items').select('id').ilike('name', 'alpha*')).data)).toEqual([1]);
  });

  it('is null / not null / true', async () => {
    expect(ids((await db.from('gw_items').select('id').is('qty', null)).data)).toEqual([3]);
    expect(ids((await db.from('gw_items').select('id').not('qty', 'is', null).order('id')).data)).toEqual([1, 2, 4, 5]);
    const bad = await raw(fx.gateway, '/rest/v1/gw_items?qty=is.maybe');
    expect(bad.status).toBe(400);
    expect((bad.json as { code: string }).code).toBe('PGRST100');
  });

  it('in with values holding reserved characters, quoted by supabase-js', async () => {
    const { data, error } = await db
      .from('gw_items')
      .select('id')
      .in('name', ['beta, with comma', 'Gamma "quoted"', 'delta(paren)'])
      .order('id');
    expect(error).toBeNull();
    expect(ids(data)).toEqual([2, 3, 4]);
    expect(ids((await db.from('gw_items').select('id').in('id', [5, 1]).order('id')).data)).toEqual([1, 5]);
    expect(ids((await db.from('gw_items').select('id').in('id', [])).data)).toEqual([]);
  });

  it('combines several filters with and', async () => {
    expect(ids((await db.from('gw_items').select('id').eq('qty', 7).eq('note', 'y')).data)).toEqual([5]);
  });
});

describe('order, limit, offset and select', () => {
  it('orders ascending/descending with nulls first or last', async () => {
    expect(ids((await db.from('gw_items').select('id').order('qty', { ascending: true, nullsFirst: true }).order('id')).data)).toEqual([
      3, 1, 2, 5, 4,
    ]);
    expect(ids((await db.from('gw_items').select('id').order('qty', { ascending: false, nullsFirst: false }).order('id')).data)).toEqual([
      4, 2, 5, 1, 3,
    ]);
  });

  it('pages with limit and range (offset)', async () => {
    expect(ids((await db.from('gw_items').select('id').order('id').limit(2)).data)).toEqual([1, 2]);
    expect(ids((await db.from('gw_items').select('id').order('id').range(2, 3)).data)).toEqual([3, 4]);
  });

  it('returns only the selected columns, in the order asked', async () => {
    const { data } = await db.from('gw_items').select('name, id').eq('id', 1);
    expect(data).toEqual([{ name: 'Alpha Spring', id: 1 }]);
    expect(Object.keys((data as object[])[0] ?? {})).toEqual(['name', 'id']);
    const all = await db.from('gw_items').select('*').eq('id', 1);
    expect(all.data).toEqual([{ id: 1, name: 'Alpha Spring', qty: 5, price: 1.5, tags: null, made_on: '2025-03-01', note: 'plain' }]);
  });

  it('answers an unknown column with 400 and an unknown table with 404', async () => {
    const col = await db.from('gw_items').select('id, nope');
    expect(col.status).toBe(400);
    expect(['PGRST204', '42703']).toContain(col.error?.code);
    const filter = await db.from('gw_items').select('id').eq('nope', 1);
    expect(filter.status).toBe(400);
    const table = await db.from('gw_no_such_table').select('*');
    expect(table.status).toBe(404);
  });

  it('refuses embedding, aliases and casts with 400 PGRST100', async () => {
    for (const select of ['id, gw_children(*)', 'alias:id', 'id::text']) {
      const res = await db.from('gw_items').select(select);
      expect(res.status).toBe(400);
      expect(res.error?.code).toBe('PGRST100');
    }
  });
});

describe('single objects', () => {
  it('answers Accept: application/vnd.pgrst.object+json with one object', async () => {
    const { data, error, status } = await db.from('gw_items').select('id, name').eq('id', 2).single();
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual({ id: 2, name: 'beta, with comma' });
  });

  it('answers 406 PGRST116 when the row count is not one', async () => {
    for (const q of [db.from('gw_items').select('id').eq('id', 99).single(), db.from('gw_items').select('id').eq('qty', 7).single()]) {
      const { error, status } = await q;
      expect(status).toBe(406);
      expect(error?.code).toBe('PGRST116');
      expect(error?.message).toBe('Cannot coerce the result to a single JSON object');
    }
  });

  it('maybeSingle turns 0 rows into null and 1 into the object', async () => {
    expect((await db.from('gw_items').select('id').eq('id', 99).maybeSingle()).data).toBeNull();
    expect((await db.from('gw_items').select('id').eq('id', 1).maybeSingle()).data).toEqual({ id: 1 });
  });
});

describe('counts', () => {
  it('Prefer: count=exact gives Content-Range a-b/N and the count in supabase-js', async () => {
    const { data, count, status } = await db.from('gw_items').select('id', { count: 'exact' }).order('id').limit(2);
    expect(ids(data)).toEqual([1, 2]);
    expect(count).toBe(5);
    expect(status).toBe(206);
    const res = await raw(fx.gateway, '/rest/v1/gw_items?select=id&order=id&offset=1&limit=2', { headers: { prefer: 'count=exact' } });
    expect(res.headers.get('content-range')).toBe('1-2/5');
    const full = await raw(fx.gateway, '/rest/v1/gw_items?select=id', { headers: { prefer: 'count=exact' } });
    expect(full.status).toBe(200);
    expect(full.headers.get('content-range')).toBe('0-4/5');
  });

  it('answers no rows with Content-Range */0, and */* or a-b/* without a count', async () => {
    const none = await raw(fx.gateway, '/rest/v1/gw_items?id=eq.99', { headers: { prefer: 'count=exact' } });
    expect(none.headers.get('content-range')).toBe('*/0');
    const noCount = await raw(fx.gateway, '/rest/v1/gw_items?select=id&limit=2');
    expect(noCount.headers.get('content-range')).toBe('0-1/*');
  });

  it('HEAD with count has no body and supabase-js reads the count', async () => {
    const { data, count, error } = await db.from('gw_items').select('*', { count: 'exact', head: true }).eq('qty', 7);
    expect(error).toBeNull();
    expect(data).toBeNull();
    expect(count).toBe(2);
    const res = await raw(fx.gateway, '/rest/v1/gw_items?select=*&qty=eq.7', { method: 'HEAD', headers: { prefer: 'count=exact' } });
    expect(res.text).toBe('');
    expect(res.headers.get('content-range')).toBe('0-1/2');
  });
});

describe('headers', () => {
  it('tolerates Prefer values joined by ", " and repeated headers', async () => {
    const headers = new Headers({ apikey: fx.gateway.anonKey, authorization: `Bearer ${fx.gateway.anonKey}` });
    headers.append('prefer', 'count=exact');
    headers.append('prefer', 'timezone=UTC');
    const res = await fetch(`${fx.gateway.url}/rest/v1/gw_items?select=id&limit=1`, { headers });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('0-0/5');
    const joined = await raw(fx.gateway, '/rest/v1/gw_items?select=id&limit=1', { headers: { prefer: 'timezone=UTC,  count=exact' } });
    expect(joined.headers.get('content-range')).toBe('0-0/5');
  });

  it('answers Accept-Profile / Content-Profile other than public with 406 PGRST106', async () => {
    const read = await raw(fx.gateway, '/rest/v1/gw_items', { headers: { 'accept-profile': 'auth' } });
    expect(read.status).toBe(406);
    expect((read.json as { code: string }).code).toBe('PGRST106');
    const write = await raw(fx.gateway, '/rest/v1/rpc/gw_no_args', { method: 'POST', body: {}, headers: { 'content-profile': 'private' } });
    expect(write.status).toBe(406);
    const viaClient = await db.schema('auth').from('users').select('*');
    expect(viaClient.status).toBe(406);
    expect(viaClient.error?.code).toBe('PGRST106');
  });

  it('answers JSON with Content-Type application/json; charset=utf-8', async () => {
    const res = await raw(fx.gateway, '/rest/v1/gw_items?select=id');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});
