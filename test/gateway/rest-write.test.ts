import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { gatewayFixture, raw, testClient, type GatewayFixture } from './harness.ts';
import { TOY_SCHEMA_SQL } from './toy-schema.ts';

// Inserts, upserts, updates, deletes, and row-level security: docs/gateway-contract.md, "Table reads
// and writes".

let fx: GatewayFixture;
let alice: SupabaseClient;
let bob: SupabaseClient;
let anon: SupabaseClient;
let aliceId: string;
let aliceToken: string;

beforeAll(async () => {
  fx = await gatewayFixture();
  await fx.sql(TOY_SCHEMA_SQL);
  aliceId = (await fx.gateway.createUser({ email: 'alice@northwind-media.test', password: 'alice password' })).id;
  await fx.gateway.createUser({ email: 'bob@harbor-digital.test', password: 'bob password' });
  alice = testClient(fx.gateway).supabase;
  bob = testClient(fx.gateway).supabase;
  anon = testClient(fx.gateway).supabase;
  aliceToken =
    (await alice.auth.signInWithPassword({ email: 'alice@northwind-media.test', password: 'alice password' })).data.session?.access_token ??
    '';
  await bob.auth.signInWithPassword({ email: 'bob@harbor-digital.test', password: 'bob password' });
});
afterAll(async () => {
  await fx?.gateway.close();
});
beforeEach(async () => {
  await fx.sql('truncate public.gw_items');
});

const items = async () =>
  await fx.sql<{ id: number; name: string | null; qty: number | null; note: string | null }>(
    'select id, name, qty, note from public.gw_items order by id',
  );

describe('insert', () => {
  it('answers 201 with an empty body without Prefer, and writes the rows', async () => {
    const res = await raw(fx.gateway, '/rest/v1/gw_items', { method: 'POST', body: { id: 1, name: 'one' } });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    const { data, error, status } = await alice.from('gw_items').insert([
      { id: 2, name: 'two' },
      { id: 3, name: 'three' },
    ]);
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toBeNull();
    expect((await items()).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('.select() asks for return=representation and gets the rows back', async () => {
    const { data, status } = await alice.from('gw_items').insert({ id: 1, name: 'one', qty: 3 }).select('id, qty');
    expect(status).toBe(201);
    expect(data).toEqual([{ id: 1, qty: 3 }]);
    const single = await alice.from('gw_items').insert({ id: 2, name: 'two' }).select().single();
    expect(single.data).toEqual({ id: 2, name: 'two', qty: null, price: null, tags: null, made_on: null, note: 'none' });
  });

  it('inserts only the `columns` keys; a key missing from an object becomes NULL, not the default', async () => {
    const { error } = await alice.from('gw_items').insert([
      { id: 1, name: 'one', note: 'given' },
      { id: 2, name: 'two' },
    ]);
    expect(error).toBeNull();
    expect(await items()).toEqual([
      { id: 1, name: 'one', qty: null, note: 'given' },
      { id: 2, name: 'two', qty: null, note: null },
    ]);
  });

  it('uses the column DEFAULT for missing keys with Prefer: missing=default', async () => {
    const { error } = await alice.from('gw_items').insert(
      [
        { id: 1, name: 'one', note: 'given' },
        { id: 2, name: 'two' },
      ],
      { defaultToNull: false },
    );
    expect(error).toBeNull();
    expect((await items()).map((r) => r.note)).toEqual(['given', 'none']);
  });

  it('answers mismatched keys without `columns` with 400 PGRST102', async () => {
    const res = await raw(fx.gateway, '/rest/v1/gw_items', { method: 'POST', body: [{ id: 1, name: 'a' }, { id: 2 }] });
    expect(res.status).toBe(400);
    expect((res.json as { code: string }).code).toBe('PGRST102');
    expect(await items()).toEqual([]);
  });

  it('answers an unknown column with 400 PGRST204 and invalid JSON with 400 PGRST102', async () => {
    const res = await alice.from('gw_items').insert({ id: 1, colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.error?.code).toBe('PGRST204');
    const bad = await raw(fx.gateway, '/rest/v1/gw_items', { method: 'POST', body: '[{"id":1,' });
    expect(bad.status).toBe(400);
    expect((bad.json as { code: string }).code).toBe('PGRST102');
  });

  it('is all-or-nothing: one bad row rolls back the whole request (23505 → 409)', async () => {
    await alice.from('gw_items').insert({ id: 1, name: 'existing' });
    const { status, error } = await alice.from('gw_items').insert([
      { id: 2, name: 'new' },
      { id: 1, name: 'duplicate' },
    ]);
    expect(status).toBe(409);
    expect(error?.code).toBe('23505');
    expect((await items()).map((r) => r.id)).toEqual([1]);
  });
});

describe('upsert', () => {
  it('merge-duplicates updates on the primary key by default and answers 201 (new rows) or 200 (none new)', async () => {
    await alice.from('gw_items').insert({ id: 1, name: 'old', qty: 1 });
    const merged = await alice
      .from('gw_items')
      .upsert([{ id: 1, name: 'new', qty: 2 }])
      .select('id, name, qty');
    expect(merged.status).toBe(200);
    expect(merged.data).toEqual([{ id: 1, name: 'new', qty: 2 }]);
    const mixed = await alice
      .from('gw_items')
      .upsert([
        { id: 1, name: 'newer', qty: 3 },
        { id: 2, name: 'fresh', qty: 4 },
      ])
      .select('id');
    expect(mixed.status).toBe(201);
    expect(await items()).toEqual([
      // `note` is not among the columns: the insert gave it its default, the merge left it alone
      { id: 1, name: 'newer', qty: 3, note: 'none' },
      { id: 2, name: 'fresh', qty: 4, note: 'none' },
    ]);
  });

  it('merges on an on_conflict target', async () => {
    await fx.sql('create unique index if not exists gw_items_name on public.gw_items (name)');
    try {
      await alice.from('gw_items').insert({ id: 1, name: 'by-name', qty: 1 });
      const { error } = await alice.from('gw_items').upsert({ id: 1, name: 'by-name', qty: 9 }, { onConflict: 'name' });
      expect(error).toBeNull();
      expect((await items())[0]?.qty).toBe(9);
    } finally {
      await fx.sql('drop index public.gw_items_name');
    }
  });

  it('ignore-duplicates keeps the existing row', async () => {
    await alice.from('gw_items').insert({ id: 1, name: 'first', qty: 1 });
    const { error, status } = await alice.from('gw_items').upsert({ id: 1, name: 'second', qty: 2 }, { ignoreDuplicates: true });
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect((await items())[0]?.name).toBe('first');
  });

  it('duplicate keys inside one merge upsert fail with 21000 → 500 and write nothing', async () => {
    const { status, error } = await alice.from('gw_items').upsert([
      { id: 1, name: 'a' },
      { id: 1, name: 'b' },
    ]);
    expect(status).toBe(500);
    expect(error?.code).toBe('21000');
    expect(await items()).toEqual([]);
  });
});

describe('update and delete', () => {
  beforeEach(async () => {
    await fx.sql(`insert into public.gw_items (id, name, qty) values (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)`);
  });

  it('PATCH answers 204, or 200 with the rows for .select()', async () => {
    const plain = await alice.from('gw_items').update({ qty: 10 }).eq('id', 1);
    expect(plain.status).toBe(204);
    expect(plain.error).toBeNull();
    const rep = await alice.from('gw_items').update({ name: 'TWO' }).in('id', [2, 3]).select('id, name').order('id');
    expect(rep.status).toBe(200);
    expect(rep.data).toEqual([
      { id: 2, name: 'TWO' },
      { id: 3, name: 'TWO' },
    ]);
    expect((await items()).map((r) => [r.id, r.name, r.qty])).toEqual([
      [1, 'one', 10],
      [2, 'TWO', 2],
      [3, 'TWO', 3],
    ]);
  });

  it('DELETE answers 204 (with an empty JSON content type and no body), or 200 with the rows', async () => {
    const res = await raw(fx.gateway, '/rest/v1/gw_items?id=eq.1', { method: 'DELETE', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(204);
    const rep = await alice.from('gw_items').delete().eq('id', 2).select('id');
    expect(rep.status).toBe(200);
    expect(rep.data).toEqual([{ id: 2 }]);
    expect((await items()).map((r) => r.id)).toEqual([3]);
  });

  it('refuses UPDATE or DELETE without a filter (pg-safeupdate) with 400 21000', async () => {
    const upd = await alice.from('gw_items').update({ qty: 0 }).neq('id', -1);
    expect(upd.error).toBeNull();
    const res = await raw(fx.gateway, '/rest/v1/gw_items', { method: 'DELETE' });
    expect(res.status).toBe(400);
    expect((res.json as { code: string }).code).toBe('21000');
    expect((await items()).length).toBe(3);
  });
});

describe('privileges and row-level security', () => {
  it('a table with SELECT only: reading works, writing is 42501 → 403 for authenticated, 401 for anon', async () => {
    expect((await alice.from('gw_readonly').select('id')).data).toEqual([{ id: 1 }]);
    const ins = await alice.from('gw_readonly').insert({ id: 2, name: 'two' });
    expect(ins.status).toBe(403);
    expect(ins.error?.code).toBe('42501');
    expect(ins.error?.message).toBe('permission denied for table gw_readonly');
    const upd = await alice.from('gw_readonly').update({ name: 'x' }).eq('id', 1);
    expect(upd.status).toBe(403);
    const del = await alice.from('gw_readonly').delete().eq('id', 1);
    expect(del.status).toBe(403);
    const anonRead = await anon.from('gw_readonly').select('id');
    expect(anonRead.status).toBe(401);
    expect(anonRead.error?.code).toBe('42501');
  });

  it('policies apply: each user sees and changes only their own notes', async () => {
    const a = await alice.from('gw_notes').insert({ body: 'alice note' }).select('owner, body').single();
    expect(a.error).toBeNull();
    expect(a.data).toEqual({ owner: aliceId, body: 'alice note' });
    await bob.from('gw_notes').insert({ body: 'bob note' });
    expect((await alice.from('gw_notes').select('body')).data).toEqual([{ body: 'alice note' }]);
    expect((await bob.from('gw_notes').select('body')).data).toEqual([{ body: 'bob note' }]);
    // Bob cannot change or delete Alice's note: the policies hide it, so nothing matches.
    const upd = await bob.from('gw_notes').update({ body: 'hacked' }).eq('body', 'alice note').select();
    expect(upd.data).toEqual([]);
    await bob.from('gw_notes').delete().eq('body', 'alice note');
    expect((await fx.sql<{ body: string }>('select body from public.gw_notes order by body')).map((r) => r.body)).toEqual([
      'alice note',
      'bob note',
    ]);
    // WITH CHECK: Bob cannot write a note owned by Alice.
    const forged = await bob.from('gw_notes').insert({ owner: aliceId, body: 'forged' });
    expect(forged.status).toBe(403);
    expect(forged.error?.code).toBe('42501');
    expect(forged.error?.message).toBe('new row violates row-level security policy for table "gw_notes"');
    // anon has no grant at all
    expect((await anon.from('gw_notes').select('*')).status).toBe(401);
  });

  it('a row hidden by SELECT policies: insert succeeds without representation, fails 42501 with it', async () => {
    const minimal = await alice.from('gw_dropbox').insert({ id: 1, body: 'dropped' });
    expect(minimal.error).toBeNull();
    expect(minimal.status).toBe(201);
    const rep = await alice.from('gw_dropbox').insert({ id: 2, body: 'dropped and read' }).select();
    expect(rep.status).toBe(403);
    expect(rep.error?.code).toBe('42501');
    expect((await fx.sql<{ id: number }>('select id from public.gw_dropbox')).map((r) => r.id)).toEqual([1]);
  });

  it('a raw request with the user token sees the same RLS as supabase-js', async () => {
    await fx.sql(`insert into public.gw_notes (owner, body) values ($1, 'seeded for alice')`, [aliceId]);
    const res = await raw(fx.gateway, '/rest/v1/gw_notes?select=body&body=eq.seeded%20for%20alice', {
      headers: { authorization: `Bearer ${aliceToken}` },
    });
    expect(res.json).toEqual([{ body: 'seeded for alice' }]);
    const asAnon = await raw(fx.gateway, '/rest/v1/gw_notes?select=body');
    expect(asAnon.status).toBe(401);
  });
});
