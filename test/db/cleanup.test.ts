import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';
import { asIdentity, callRpc, expectDenied, expectRefusal } from './as-user.ts';
import { createTenant, makeRows, type Tenant } from './seed.ts';
import { begin, runUpload, stage, upload, type Upload } from './upload.ts';

let db: pg.Client;
let t: Tenant;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
  t = await createTenant(db, 'cleanup');
});
afterAll(async () => {
  await db?.end();
});

const rows = makeRows({ level: 'ad_set', campaigns: 1, adSetsPerCampaign: 2, days: 2 });

function uploadOf(extra: Partial<Upload> = {}): Upload {
  return upload({ actor: t.member, workspaceId: t.workspaceId, clientId: t.clientId, rows, level: 'ad_set', ...extra });
}

/** Each case starts with no uploads in the workspace (as the superuser: facts first, they reference uploads). */
async function startOver() {
  await db.query('delete from daily_metrics where workspace_id = $1', [t.workspaceId]);
  await db.query('delete from data_uploads where workspace_id = $1', [t.workspaceId]);
}

async function state(u: Upload) {
  const r = await db.query<{ status: string; staged: number; resolved: number; entities: number }>(
    `select status,
            (select count(*)::int from staging_rows s where s.upload_id = u.id) as staged,
            (select count(*)::int from staging_id_resolution r where r.upload_id = u.id) as resolved,
            (select count(*)::int from staging_entities e where e.upload_id = u.id) as entities
     from data_uploads u where id = $1`,
    [u.uploadId],
  );
  return r.rows[0];
}

async function cleanup(now: string) {
  return await callRpc<Record<string, number>>(db, 'service_role', 'cleanup_staging', { p_now: now });
}

describe('cleanup_staging, with the clock moved instead of waiting', () => {
  it('keeps everything younger than the retention periods', async () => {
    await startOver();
    const dry = uploadOf({ mode: 'FULL_DRY_RUN' });
    await runUpload(db, dry);
    const done = uploadOf();
    await runUpload(db, done);
    const at = (await db.query<{ now: Date }>(`select now() + interval '23 hours' as now`)).rows[0]!.now.toISOString();
    expect(await cleanup(at)).toMatchObject({ expired_uploads: 0, deleted_staging_rows: 0 });
    expect(await state(dry)).toEqual({ status: 'staged', staged: 4, resolved: 3, entities: 2 });
    expect(await state(done)).toEqual({ status: 'completed', staged: 4, resolved: 3, entities: 2 });
  });

  it('deletes staging of dry runs older than 24 hours, which turn expired and can no longer be committed', async () => {
    await startOver();
    const dry = uploadOf({ mode: 'FULL_DRY_RUN' });
    await runUpload(db, dry);
    const half = uploadOf({ mode: 'FULL_DRY_RUN' });
    await begin(db, half);
    await stage(db, half, 0);
    const commit = uploadOf();
    await runUpload(db, commit);

    const at = (await db.query<{ now: Date }>(`select now() + interval '25 hours' as now`)).rows[0]!.now.toISOString();
    const result = await cleanup(at);
    expect(result).toEqual({ uploads: 2, expired_uploads: 2, deleted_staging_rows: 8, deleted_resolutions: 3 });
    expect(await state(dry)).toEqual({ status: 'expired', staged: 0, resolved: 0, entities: 0 });
    expect(await state(half)).toEqual({ status: 'expired', staged: 0, resolved: 0, entities: 0 });
    expect(await state(commit)).toEqual({ status: 'completed', staged: 4, resolved: 3, entities: 2 }); // 7 days for commits
    await expectRefusal(callRpc(db, t.member, 'promote_upload', { p_upload_id: dry.uploadId }), 'UPLOAD_EXPIRED', /expired/);
    expect(await callRpc(db, t.member, 'upload_progress', { p_upload_id: dry.uploadId })).toMatchObject({
      status: 'expired',
      staged_rows: 0,
    });
    // the facts of the commit are untouched
    const facts = await db.query('select count(*)::int n from daily_metrics where upload_id = $1', [commit.uploadId]);
    expect(facts.rows[0]).toEqual({ n: 4 });
    // a second run finds nothing more to do
    expect(await cleanup(at)).toMatchObject({ uploads: 0, expired_uploads: 0, deleted_staging_rows: 0 });
  });

  it('deletes staging of every upload older than 7 days; unfinished ones turn expired, completed ones stay completed', async () => {
    await startOver();
    const done = uploadOf();
    await runUpload(db, done);
    const stuck = uploadOf();
    await begin(db, stuck);
    await stage(db, stuck, 0);
    const at6 = (await db.query<{ now: Date }>(`select now() + interval '6 days 23 hours' as now`)).rows[0]!.now.toISOString();
    expect(await cleanup(at6)).toMatchObject({ uploads: 0 });
    const at8 = (await db.query<{ now: Date }>(`select now() + interval '7 days 1 minute' as now`)).rows[0]!.now.toISOString();
    expect(await cleanup(at8)).toEqual({ uploads: 2, expired_uploads: 1, deleted_staging_rows: 8, deleted_resolutions: 3 });
    expect(await state(done)).toEqual({ status: 'completed', staged: 0, resolved: 0, entities: 0 });
    expect(await state(stuck)).toEqual({ status: 'expired', staged: 0, resolved: 0, entities: 0 });
    const summary = await db.query(`select summary->>'expired_at' as at from data_uploads where id = $1`, [stuck.uploadId]);
    expect(new Date(summary.rows[0]!.at).toISOString()).toBe(at8);
    // an expired upload no longer holds a concurrency slot
    const active = await db.query(
      `select count(*)::int n from data_uploads where workspace_id = $1 and status in ('pending','staging','staged','committing')`,
      [t.workspaceId],
    );
    expect(active.rows[0]).toEqual({ n: 0 });
  });

  it('runs only as the service role: authenticated and anon are denied', async () => {
    await expectDenied(callRpc(db, t.owner, 'cleanup_staging', {}));
    await expectDenied(callRpc(db, 'anon', 'cleanup_staging', {}));
    await expectDenied(asIdentity(db, t.owner, 'select public.cleanup_staging(now())'));
    expect(await callRpc(db, 'service_role', 'cleanup_staging', {})).toMatchObject({ uploads: expect.any(Number) });
  });

  it('the service role cannot read or write tenant tables directly', async () => {
    await expectDenied(asIdentity(db, 'service_role', 'select count(*) from staging_rows'));
    await expectDenied(asIdentity(db, 'service_role', 'delete from daily_metrics'));
  });
});
