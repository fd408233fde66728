import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';
import { asIdentity, callRpc, expectDenied, expectRefusal, failureOf, type Actor, type Identity } from './as-user.ts';
import { createTenant, makeRows, type Tenant } from './seed.ts';
import { begin, beginArgs, runUpload, stage, upload, type Upload } from './upload.ts';

/**
 * Two workspaces, each with an owner, a member and a viewer, each with a completed upload (so every
 * table holds rows of both) and an upload in progress. User A is workspace 1's owner, user B
 * workspace 2's. Every table and every function is tried by B (and anon) against workspace 1.
 */
let db: pg.Client;
let w1: Tenant;
let w2: Tenant;
let open1: Upload; // an upload of workspace 1's member, staged, not yet resolved
let done1: Upload;

const rows = makeRows({ level: 'ad', campaigns: 2, adSetsPerCampaign: 2, adsPerAdSet: 2, days: 2 });

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
  w1 = await createTenant(db, 'one');
  w2 = await createTenant(db, 'two');
  done1 = upload({ actor: w1.member, workspaceId: w1.workspaceId, clientId: w1.clientId, rows, level: 'ad' });
  await runUpload(db, done1);
  await runUpload(db, upload({ actor: w2.member, workspaceId: w2.workspaceId, clientId: w2.clientId, rows, level: 'ad' }));
  open1 = upload({ actor: w1.member, workspaceId: w1.workspaceId, clientId: w1.clientId, rows, level: 'ad', mode: 'FULL_DRY_RUN' });
  await begin(db, open1);
  await stage(db, open1, 0);
});
afterAll(async () => {
  await db?.end();
});

/** Each table of public with the column that scopes it to a workspace. */
const TABLES: Record<string, string> = {
  workspaces: 'id',
  workspace_members: 'workspace_id',
  clients: 'workspace_id',
  campaigns: 'workspace_id',
  ad_sets: 'workspace_id',
  ads: 'workspace_id',
  daily_metrics: 'workspace_id',
  data_uploads: 'workspace_id',
  staging_rows: 'workspace_id',
  staging_id_resolution: 'workspace_id',
  staging_entities: 'workspace_id',
  upload_ledger: 'workspace_id',
  upload_stage_batches: 'workspace_id',
  upload_dimension_steps: 'workspace_id',
  upload_fact_batches: 'workspace_id',
};

/** Rows per workspace in every table, read as the superuser: what must not change. */
async function snapshot(): Promise<string> {
  const parts: string[] = [];
  for (const [t, col] of Object.entries(TABLES)) {
    const r = await db.query(
      `select ${col}::text as w, count(*)::int as n, md5(string_agg(x::text, '|' order by x::text)) as h from public.${t} x group by 1 order by 1`,
    );
    parts.push(`${t}:${JSON.stringify(r.rows)}`);
  }
  return parts.join('\n');
}

describe('every table, read across workspaces', () => {
  it('the matrix covers every table of public', async () => {
    const r = await db.query<{ t: string }>(
      `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    );
    expect(r.rows.map((x) => x.t)).toEqual(Object.keys(TABLES).sort());
  });

  it.each(Object.entries(TABLES))('%s: each user sees only their own workspace; anon is refused', async (table, col) => {
    for (const [who, mine, theirs] of [
      [w1.owner, w1.workspaceId, w2.workspaceId],
      [w1.viewer, w1.workspaceId, w2.workspaceId],
      [w2.owner, w2.workspaceId, w1.workspaceId],
    ] as const) {
      const seen = await asIdentity(db, who, `select distinct ${col}::text as w from public.${table}`);
      expect(seen.rows, `${table} as ${who.email}`).toEqual([{ w: mine }]);
      const asked = await asIdentity(db, who, `select count(*)::int as n from public.${table} where ${col} = $1`, [theirs]);
      expect(asked.rows[0]).toEqual({ n: 0 });
    }
    await expectDenied(asIdentity(db, 'anon', `select count(*) from public.${table}`));
  });
});

describe('every table, written across workspaces', () => {
  const ingestOnly = Object.keys(TABLES).filter((t) => !['workspaces', 'workspace_members', 'clients'].includes(t));

  it.each(ingestOnly)('%s: no user writes it directly (insert, update, delete, upsert), in any workspace', async (table) => {
    const before = await snapshot();
    const col = TABLES[table]!;
    for (const who of [w1.owner, w2.owner] as Actor[]) {
      for (const ws of [w1.workspaceId, w2.workspaceId]) {
        await expectDenied(asIdentity(db, who, `insert into public.${table} (${col}) values ($1)`, [ws]));
        await expectDenied(asIdentity(db, who, `update public.${table} set ${col} = ${col} where ${col} = $1`, [ws]));
        await expectDenied(asIdentity(db, who, `delete from public.${table} where ${col} = $1`, [ws]));
      }
    }
    await expectDenied(asIdentity(db, 'anon', `delete from public.${table}`));
    await expectDenied(asIdentity(db, 'service_role', `delete from public.${table}`));
    expect(await snapshot()).toBe(before);
  });

  it("clients: owners and admins add and rename their own; a forged workspace_id, another workspace's row, a viewer and anon are refused", async () => {
    const own = await asIdentity(
      db,
      w1.owner,
      `insert into public.clients (workspace_id, name, currency) values ($1, 'North Bikes', 'EUR') returning *`,
      [w1.workspaceId],
    );
    expect(own.rows[0]).toMatchObject({ workspace_id: w1.workspaceId, name: 'North Bikes', currency: 'EUR' }); // .insert().select()
    const before = await snapshot();
    // the currency's domain checks it for the owner too (a check violation, not a missing privilege; 094)
    for (const currency of ['eur', 'EU', '€'])
      expect(
        (
          await failureOf(
            asIdentity(db, w1.owner, `insert into public.clients (workspace_id, name, currency) values ($1, 'South Bikes', $2)`, [
              w1.workspaceId,
              currency,
            ]),
          )
        ).code,
        currency,
      ).toBe('23514');
    await expectDenied(
      asIdentity(db, w2.owner, `insert into public.clients (workspace_id, name, currency) values ($1, 'Forged', 'USD')`, [w1.workspaceId]),
    );
    await expectDenied(
      asIdentity(db, w1.viewer, `insert into public.clients (workspace_id, name, currency) values ($1, 'Viewer', 'USD')`, [w1.workspaceId]),
    );
    await expectDenied(
      asIdentity(db, w1.member, `insert into public.clients (workspace_id, name, currency) values ($1, 'Member', 'USD')`, [w1.workspaceId]),
    );
    await expectDenied(
      asIdentity(
        db,
        w2.owner,
        `insert into public.clients (workspace_id, name, currency) values ($1, 'one Shoes', 'USD') on conflict (workspace_id, name) do update set name = 'Taken'`,
        [w1.workspaceId],
      ),
    );
    const renamed = await asIdentity(db, w2.owner, `update public.clients set name = 'Stolen' where workspace_id = $1 returning id`, [
      w1.workspaceId,
    ]);
    expect(renamed.rows).toEqual([]); // USING hides the row: nothing changes, nothing is said
    await expectDenied(
      asIdentity(db, w1.owner, `update public.clients set workspace_id = $1 where workspace_id = $2`, [w2.workspaceId, w1.workspaceId]),
    );
    await expectDenied(asIdentity(db, w1.owner, `update public.clients set currency = 'JPY' where workspace_id = $1`, [w1.workspaceId]));
    await expectDenied(asIdentity(db, w1.owner, `delete from public.clients where workspace_id = $1`, [w1.workspaceId]));
    await expectDenied(
      asIdentity(db, 'anon', `insert into public.clients (workspace_id, name, currency) values ($1, 'Anon', 'USD')`, [w1.workspaceId]),
    );
    expect(await snapshot()).toBe(before);
    const ok = await asIdentity(db, w1.owner, `update public.clients set name = 'North Bikes Ltd' where id = $1 returning name`, [
      own.rows[0].id,
    ]);
    expect(ok.rows).toEqual([{ name: 'North Bikes Ltd' }]);
  });

  it("workspace_members: only owners manage their own workspace's members", async () => {
    const before = await snapshot();
    await expectDenied(
      asIdentity(db, w2.owner, `insert into public.workspace_members (workspace_id, user_id, role) values ($1, $2, 'owner')`, [
        w1.workspaceId,
        w2.owner.id,
      ]),
    );
    const selfPromotion = await asIdentity(
      db,
      w1.member,
      `update public.workspace_members set role = 'owner' where user_id = $1 returning role`,
      [w1.member.id],
    );
    expect(selfPromotion.rows).toEqual([]); // a member is no owner: the row is not theirs to update
    await expectDenied(
      asIdentity(db, w1.member, `insert into public.workspace_members (workspace_id, user_id, role) values ($1, $2, 'admin')`, [
        w1.workspaceId,
        w2.owner.id,
      ]),
    );
    const promoted = await asIdentity(
      db,
      w2.owner,
      `update public.workspace_members set role = 'viewer' where workspace_id = $1 returning user_id`,
      [w1.workspaceId],
    );
    expect(promoted.rows).toEqual([]);
    const removed = await asIdentity(db, w2.owner, `delete from public.workspace_members where workspace_id = $1 returning user_id`, [
      w1.workspaceId,
    ]);
    expect(removed.rows).toEqual([]);
    await expectDenied(
      asIdentity(db, w1.owner, `update public.workspace_members set workspace_id = $1 where user_id = $2`, [w2.workspaceId, w1.viewer.id]),
    );
    expect(await snapshot()).toBe(before);
    const changed = await asIdentity(
      db,
      w1.owner,
      `update public.workspace_members set role = 'viewer' where workspace_id = $1 and user_id = $2 returning role`,
      [w1.workspaceId, w1.viewer.id],
    );
    expect(changed.rows).toEqual([{ role: 'viewer' }]);
  });

  it("workspaces: owners and admins rename their own; others' stay untouched; nobody creates or deletes through the API", async () => {
    const renamed = await asIdentity(db, w2.owner, `update public.workspaces set name = 'Mine now' where id = $1 returning id`, [
      w1.workspaceId,
    ]);
    expect(renamed.rows).toEqual([]);
    await expectDenied(asIdentity(db, w1.owner, `insert into public.workspaces (name) values ('New agency')`));
    await expectDenied(asIdentity(db, w1.owner, `delete from public.workspaces where id = $1`, [w1.workspaceId]));
    const member = await asIdentity(db, w1.member, `update public.workspaces set name = 'Member rename' where id = $1 returning id`, [
      w1.workspaceId,
    ]);
    expect(member.rows).toEqual([]);
    const own = await asIdentity(db, w1.owner, `update public.workspaces set name = 'one Agency Ltd' where id = $1 returning name`, [
      w1.workspaceId,
    ]);
    expect(own.rows).toEqual([{ name: 'one Agency Ltd' }]);
  });
});

describe('every function, called across workspaces', () => {
  const uploadCalls = (id: string): [string, Record<string, unknown>][] => [
    ['stage_rows', { p_upload_id: id, p_batch_no: 1, p_rows: rows.slice(0, 1) }],
    ['resolve_dimensions', { p_upload_id: id, p_entity_type: 'campaign' }],
    ['write_facts', { p_upload_id: id, p_batch_no: 0 }],
    ['finish_upload', { p_upload_id: id }],
    ['fail_upload', { p_upload_id: id, p_code: 'CANCELLED', p_message: 'Cancelled.', p_stage: 'stage' }],
    ['promote_upload', { p_upload_id: id }],
    ['upload_progress', { p_upload_id: id }],
  ];

  it("another workspace's upload id is UPLOAD_NOT_FOUND for every upload function, and nothing changes", async () => {
    const before = await snapshot();
    for (const id of [open1.uploadId, done1.uploadId]) {
      for (const [fn, args] of uploadCalls(id)) {
        await expectRefusal(callRpc(db, w2.owner, fn, args), 'UPLOAD_NOT_FOUND', /^There is no upload .* in your workspaces\./);
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it("begin_upload into another workspace is NOT_AUTHORIZED; with another workspace's client, CLIENT_NOT_FOUND", async () => {
    const before = await snapshot();
    const forged = upload({ actor: w2.owner, workspaceId: w1.workspaceId, clientId: w1.clientId, rows, level: 'ad' });
    await expectRefusal(begin(db, forged), 'NOT_AUTHORIZED', /^You are not a member of this workspace\./);
    const crossClient = upload({ actor: w2.owner, workspaceId: w2.workspaceId, clientId: w1.clientId, rows, level: 'ad' });
    await expectRefusal(begin(db, crossClient), 'CLIENT_NOT_FOUND');
    // an id already used in workspace 1, begun again in workspace 2
    await expectRefusal(begin(db, { ...open1, actor: w2.owner, workspaceId: w2.workspaceId, clientId: w2.clientId }), 'UPLOAD_CONFLICT');
    expect(await snapshot()).toBe(before);
  });

  it('a viewer of the workspace may follow an upload but not change it', async () => {
    const before = await snapshot();
    await expectRefusal(
      begin(db, { ...upload({ actor: w1.viewer, workspaceId: w1.workspaceId, clientId: w1.clientId, rows, level: 'ad' }) }),
      'NOT_AUTHORIZED',
    );
    for (const [fn, args] of uploadCalls(open1.uploadId)) {
      if (fn === 'upload_progress') {
        expect(await callRpc(db, w1.viewer, fn, args)).toMatchObject({ staged_rows: rows.length });
      } else {
        await expectRefusal(callRpc(db, w1.viewer, fn, args), 'NOT_AUTHORIZED');
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('anon may execute no function at all', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['begin_upload', beginArgs(open1)],
      ...uploadCalls(open1.uploadId),
      ['preflight', {}],
      ['cleanup_staging', {}],
    ];
    for (const [fn, args] of calls) await expectDenied(callRpc(db, 'anon' as Identity, fn, args));
  });

  it('removing a member takes effect on their next request, whatever their token says', async () => {
    const leaving = await createTenant(db, 'leaving');
    const u = upload({ actor: leaving.member, workspaceId: leaving.workspaceId, clientId: leaving.clientId, rows, level: 'ad' });
    await begin(db, u);
    await db.query('delete from workspace_members where workspace_id = $1 and user_id = $2', [leaving.workspaceId, leaving.member.id]);
    await expectRefusal(stage(db, u, 0), 'UPLOAD_NOT_FOUND');
    await expectRefusal(begin(db, { ...u, uploadId: crypto.randomUUID() }), 'NOT_AUTHORIZED');
    const seen = await asIdentity(db, leaving.member, 'select count(*)::int as n from public.data_uploads');
    expect(seen.rows[0]).toEqual({ n: 0 });
  });
});
