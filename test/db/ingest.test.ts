import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';
import { asUser, beginAs, callRpc, expectRefusal, newId } from './as-user.ts';
import {
  adExternalId,
  adSetExternalId,
  addMember,
  campaignExternalId,
  createTenant,
  createUser,
  makeRows,
  type StagedRow,
  type Tenant,
} from './seed.ts';
import { begin, finish, progress, resolve, runAfterBegin, runUpload, stage, upload, writeFacts, type Upload } from './upload.ts';

let url: string;
let db: pg.Client;
let t: Tenant;

beforeAll(async () => {
  ({ db, url } = await connectFreshDatabase());
});
afterAll(async () => {
  await db?.end();
});

async function freshTenant(label: string): Promise<Tenant> {
  t = await createTenant(db, label);
  return t;
}

function commitOf(rows: StagedRow[], level: 'campaign' | 'ad_set' | 'ad', extra: Partial<Upload> = {}): Upload {
  return upload({ actor: t.member, workspaceId: t.workspaceId, clientId: t.clientId, rows, level, ...extra });
}

/** The backend process of a connection, as pg_locks names it. */
function pidOf(c: pg.Client): number {
  return (c as unknown as { processID: number }).processID;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const r = await db.query<{ n: string }>(sql, params);
  return Number(r.rows[0]?.n);
}

describe('a COMMIT upload, stage by stage', () => {
  it('writes campaigns, ad sets, ads and one daily_metrics row per grain, and says so in the plan', async () => {
    await freshTenant('commit');
    const rows = makeRows({ level: 'ad', campaigns: 2, adSetsPerCampaign: 2, adsPerAdSet: 3, days: 5 }); // 60 rows
    const u = commitOf(rows, 'ad');
    const begun = await begin(db, u);
    expect(begun).toMatchObject({ id: u.uploadId, status: 'pending', mode: 'COMMIT', row_count: 60, previous: null });
    expect(begun.uploaded_by).toBe(t.member.id);

    const fin = await runAfterBegin(db, u);
    expect(fin.status).toBe('completed');
    expect(fin.plan).toEqual({
      campaigns: { create: 2, update: 0, unchanged: 0 },
      adSets: { create: 4, update: 0, unchanged: 0 },
      ads: { create: 12, update: 0, unchanged: 0 },
      facts: { create: 60, update: 0, unchanged: 0 },
    });
    expect(fin.summary).toMatchObject({ staged: 60, facts_written: 60, plan: fin.plan });
    expect(await count('select count(*) n from daily_metrics where workspace_id = $1', [t.workspaceId])).toBe(60);
    expect(await count('select count(*) n from ads where workspace_id = $1', [t.workspaceId])).toBe(12);
    expect(await count('select count(*) n from daily_metrics where upload_id = $1', [u.uploadId])).toBe(60);
  });

  it('keeps money and counts exact: 1234.56 stays 1234.56 and ids of 19 digits stay text', async () => {
    await freshTenant('exact');
    const rows: StagedRow[] = [
      {
        row_number: 2,
        payload: {
          date: '2024-02-29',
          campaign_external_id: '1234567890123456789',
          campaign_name: 'Leap Day',
          impressions: '900000000000000000',
          clicks: '12',
          spend: '1234.56',
          conversions: '0.333333333333333333',
          conversion_value: '98765432109876543210.12',
        },
      },
    ];
    await runUpload(db, commitOf(rows, 'campaign'));
    const r = await db.query(
      `select m.impressions::text, m.spend::text, m.conversions::text, m.conversion_value::text, c.external_id, m.ad_set_id, m.ad_id
       from daily_metrics m join campaigns c on c.id = m.campaign_id where m.workspace_id = $1`,
      [t.workspaceId],
    );
    expect(r.rows).toEqual([
      {
        impressions: '900000000000000000',
        spend: '1234.56',
        conversions: '0.333333333333333333',
        conversion_value: '98765432109876543210.12',
        external_id: '1234567890123456789',
        ad_set_id: null,
        ad_id: null,
      },
    ]);
  });

  it('uploading the same file again adds no row and rewrites none', async () => {
    await freshTenant('again');
    const rows = makeRows({ level: 'ad_set', campaigns: 2, adSetsPerCampaign: 2, days: 3 });
    const first = commitOf(rows, 'ad_set');
    await runUpload(db, first);
    const before = await db.query('select id, xmin::text, upload_id from daily_metrics where workspace_id = $1 order by id', [
      t.workspaceId,
    ]);

    const second = commitOf(rows, 'ad_set');
    const begun = await begin(db, second);
    expect(begun.previous).toMatchObject({ id: first.uploadId, uploaded_by_email: t.member.email });
    const fin = await runAfterBegin(db, second);
    expect(fin.plan).toEqual({
      campaigns: { create: 0, update: 0, unchanged: 2 },
      adSets: { create: 0, update: 0, unchanged: 4 },
      ads: { create: 0, update: 0, unchanged: 0 },
      facts: { create: 0, update: 0, unchanged: 12 },
    });
    const after = await db.query('select id, xmin::text, upload_id from daily_metrics where workspace_id = $1 order by id', [
      t.workspaceId,
    ]);
    expect(after.rows).toEqual(before.rows); // same ids, same tuple versions, still "last written by" the first upload
  });

  it('changed values, a renamed campaign and an ad set moved to another campaign are updates', async () => {
    await freshTenant('changes');
    const rows = makeRows({ level: 'ad_set', campaigns: 2, adSetsPerCampaign: 1, days: 2 });
    await runUpload(db, commitOf(rows, 'ad_set'));

    const changed = structuredClone(rows);
    changed[0]!.payload.spend = '9999.99'; // one fact changes
    for (const r of changed)
      if (r.payload.campaign_external_id === campaignExternalId(0)) r.payload.campaign_name = 'Spring Sale 1 (renamed)';
    // ad set of campaign 2 now reported under campaign 1
    for (const r of changed) {
      if (r.payload.ad_set_external_id === adSetExternalId(1, 0)) {
        r.payload.campaign_external_id = campaignExternalId(0);
        r.payload.campaign_name = 'Spring Sale 1 (renamed)';
      }
    }
    const u = commitOf(changed, 'ad_set');
    const fin = await runUpload(db, u);
    expect(fin.plan.campaigns).toEqual({ create: 0, update: 1, unchanged: 0 });
    expect(fin.plan.adSets).toEqual({ create: 0, update: 1, unchanged: 1 });
    // the moved ad set's facts now hang under campaign 1: new grain rows; the edited one is an update
    expect(fin.plan.facts).toEqual({ create: 2, update: 1, unchanged: 1 });
    const name = await db.query('select name from campaigns where workspace_id = $1 and external_id = $2', [
      t.workspaceId,
      campaignExternalId(0),
    ]);
    expect(name.rows[0]?.name).toBe('Spring Sale 1 (renamed)');
    const spend = await db.query(`select m.spend::text, m.upload_id from daily_metrics m where m.workspace_id = $1 and m.spend = 9999.99`, [
      t.workspaceId,
    ]);
    expect(spend.rows).toEqual([{ spend: '9999.99', upload_id: u.uploadId }]);
  });

  it('a campaign-level file writes facts with no ad set and no ad, unique per day and campaign', async () => {
    await freshTenant('campaign-level');
    const rows = makeRows({ level: 'campaign', campaigns: 3, days: 4 });
    await runUpload(db, commitOf(rows, 'campaign'));
    await runUpload(
      db,
      commitOf(
        rows.map((r) => ({ ...r, payload: { ...r.payload, clicks: '1' } })),
        'campaign',
      ),
    );
    expect(
      await count('select count(*) n from daily_metrics where workspace_id = $1 and ad_set_id is null and ad_id is null', [t.workspaceId]),
    ).toBe(12);
    expect(await count(`select count(*) n from daily_metrics where workspace_id = $1 and clicks = 1`, [t.workspaceId])).toBe(12);
  });

  it('an upload of zero rows finishes with an empty plan', async () => {
    await freshTenant('empty');
    const fin = await runUpload(db, commitOf([], 'campaign'));
    expect(fin.status).toBe('completed');
    expect(fin.plan.facts).toEqual({ create: 0, update: 0, unchanged: 0 });
  });
});

describe('replays (the answer was lost after the commit)', () => {
  it('every stage replayed returns its first answer and changes nothing', async () => {
    await freshTenant('replay');
    const rows = makeRows({ level: 'ad', campaigns: 2, adSetsPerCampaign: 2, adsPerAdSet: 2, days: 150 }); // 1,200 rows
    const u = commitOf(rows, 'ad', { stageBatch: 500 });
    const b1 = await begin(db, u);
    const b2 = await begin(db, u);
    expect(b2).toEqual(b1);

    const s0 = await stage(db, u, 0);
    expect(s0).toEqual({ batch_no: 0, staged: 500, total_staged: 500 });
    expect(await stage(db, u, 0)).toEqual(s0);
    await stage(db, u, 2);
    await stage(db, u, 1);
    expect(await stage(db, u, 1)).toEqual({ batch_no: 1, staged: 500, total_staged: 1200 });
    expect(await count('select count(*) n from staging_rows where upload_id = $1', [u.uploadId])).toBe(1200);

    const c1 = await resolve(db, u, 'campaign');
    expect(await resolve(db, u, 'campaign')).toEqual(c1);
    const a1 = await resolve(db, u, 'ad_set');
    expect(await resolve(db, u, 'ad_set')).toEqual(a1);
    const d1 = await resolve(db, u, 'ad');
    expect(d1).toEqual({ entity_type: 'ad', create: 8, update: 0, unchanged: 0 });
    expect(await resolve(db, u, 'ad')).toEqual(d1);
    expect(await count('select count(*) n from ads where workspace_id = $1', [t.workspaceId])).toBe(8);

    const f1 = await writeFacts(db, u, 1);
    expect(f1).toEqual({ batch_no: 1, create: 200, update: 0, unchanged: 0 });
    const xmins = await db.query('select xmin::text from daily_metrics where upload_id = $1 order by id', [u.uploadId]);
    expect(await writeFacts(db, u, 1)).toEqual(f1);
    expect((await db.query('select xmin::text from daily_metrics where upload_id = $1 order by id', [u.uploadId])).rows).toEqual(
      xmins.rows,
    );
    await writeFacts(db, u, 0);

    const fin = await finish(db, u);
    expect(fin.plan.facts).toEqual({ create: 1200, update: 0, unchanged: 0 });
    expect(await finish(db, u)).toEqual(fin);
    expect(await count('select count(*) n from daily_metrics where workspace_id = $1', [t.workspaceId])).toBe(1200);
  });

  it('the same batch number with other rows is UPLOAD_CONFLICT and stores nothing', async () => {
    await freshTenant('replay-conflict');
    const rows = makeRows({ level: 'campaign', campaigns: 2, days: 2 });
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    await stage(db, u, 0);
    const other = rows.map((r) => ({ ...r, payload: { ...r.payload, spend: '1.00' } }));
    await expectRefusal(
      callRpc(db, u.actor, 'stage_rows', { p_upload_id: u.uploadId, p_batch_no: 0, p_rows: other }),
      'UPLOAD_CONFLICT',
      /Batch 0 .* already staged with different rows/,
    );
    await expectRefusal(
      callRpc(db, u.actor, 'stage_rows', { p_upload_id: u.uploadId, p_batch_no: 1, p_rows: other }),
      'UPLOAD_CONFLICT',
      /Row 2 was already staged by another batch with different values/,
    );
    const staged = await db.query(`select payload->>'spend' as spend from staging_rows where upload_id = $1 order by row_number`, [
      u.uploadId,
    ]);
    expect(staged.rows.map((r) => r.spend)).toEqual(rows.map((r) => r.payload.spend));
  });

  it('a batch overlapping rows staged by another batch, with the same values, stages only its new rows', async () => {
    await freshTenant('overlap');
    const rows = makeRows({ level: 'campaign', campaigns: 2, days: 3 });
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    const stageRows = (batchNo: number, part: StagedRow[]) =>
      callRpc<{ batch_no: number; staged: number; total_staged: number }>(db, u.actor, 'stage_rows', {
        p_upload_id: u.uploadId,
        p_batch_no: batchNo,
        p_rows: part,
      });
    expect(await stageRows(0, rows.slice(0, 4))).toEqual({ batch_no: 0, staged: 4, total_staged: 4 });
    expect(await stageRows(1, rows.slice(2))).toEqual({ batch_no: 1, staged: 4, total_staged: 6 });
    expect(await count('select count(*) n from staging_rows where upload_id = $1', [u.uploadId])).toBe(6);
    expect(await stageRows(1, rows.slice(2))).toEqual({ batch_no: 1, staged: 4, total_staged: 6 });
    const ledger = await db.query(
      'select batch_no, row_count, first_row, last_row from upload_stage_batches where upload_id = $1 order by batch_no',
      [u.uploadId],
    );
    expect(ledger.rows).toEqual([
      { batch_no: 0, row_count: 4, first_row: rows[0]!.row_number, last_row: rows[3]!.row_number },
      { batch_no: 1, row_count: 4, first_row: rows[2]!.row_number, last_row: rows[5]!.row_number },
    ]);
  });

  it('a row twice in one batch is INVALID_VALUE and stores nothing of the batch, whether or not it was staged before', async () => {
    await freshTenant('twice');
    const rows = makeRows({ level: 'campaign', campaigns: 2, days: 3 });
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    const stageRows = (batchNo: number, part: StagedRow[]) =>
      callRpc(db, u.actor, 'stage_rows', { p_upload_id: u.uploadId, p_batch_no: batchNo, p_rows: part });
    const f = await expectRefusal(
      stageRows(0, [rows[0]!, rows[1]!, rows[1]!]),
      'INVALID_VALUE',
      new RegExp(`^Row ${rows[1]!.row_number} appears twice in batch 0\\. Send each row once\\.$`),
    );
    expect(JSON.parse(f.detail ?? '{}')).toEqual({ row: rows[1]!.row_number, batch_no: 0 });
    expect(await count('select count(*) n from staging_rows where upload_id = $1', [u.uploadId])).toBe(0);
    await stageRows(0, rows.slice(0, 2));
    await expectRefusal(
      stageRows(1, [rows[1]!, rows[2]!, rows[2]!]),
      'INVALID_VALUE',
      new RegExp(`^Row ${rows[2]!.row_number} appears twice in batch 1\\.`),
    );
    expect(await count('select count(*) n from staging_rows where upload_id = $1', [u.uploadId])).toBe(2);
    expect(await progress(db, u)).toMatchObject({ staged_rows: 2, staged_batches: [0] });
  });

  it('a begin with the same id for another file, or by another member, is UPLOAD_CONFLICT', async () => {
    await freshTenant('begin-conflict');
    const rows = makeRows({ level: 'campaign' });
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    await expectRefusal(begin(db, { ...u, sha256: 'f'.repeat(64) }), 'UPLOAD_CONFLICT', /already used for another file/);
    await expectRefusal(begin(db, { ...u, actor: t.owner }), 'UPLOAD_CONFLICT');
    expect(await count('select count(*) n from data_uploads where workspace_id = $1', [t.workspaceId])).toBe(1);
  });
});

describe('resume from what the server says is done', () => {
  it('upload_progress lists staged batches, resolved entity types and written fact batches', async () => {
    await freshTenant('progress');
    const rows = makeRows({ level: 'ad_set', campaigns: 5, adSetsPerCampaign: 5, days: 100 }); // 2,500 rows
    const u = commitOf(rows, 'ad_set', { stageBatch: 1000 });
    await begin(db, u);
    expect(await progress(db, u)).toMatchObject({
      status: 'pending',
      mode: 'COMMIT',
      row_count: 2500,
      staged_rows: 0,
      staged_batches: [],
      dimensions_done: [],
      fact_batches_done: [],
      fact_batch_count: 3,
    });
    await stage(db, u, 0);
    await stage(db, u, 2);
    expect(await progress(db, u)).toMatchObject({ status: 'staging', staged_rows: 1500, staged_batches: [0, 2] });
    await stage(db, u, 1);
    await resolve(db, u, 'campaign');
    await resolve(db, u, 'ad_set');
    await resolve(db, u, 'ad');
    await writeFacts(db, u, 2);
    expect(await progress(db, u)).toMatchObject({
      status: 'committing',
      staged_rows: 2500,
      staged_batches: [0, 1, 2],
      dimensions_done: ['campaign', 'ad_set', 'ad'],
      fact_batches_done: [2],
    });
    // a viewer of the workspace may look too
    expect(await callRpc(db, t.viewer, 'upload_progress', { p_upload_id: u.uploadId })).toMatchObject({ fact_batches_done: [2] });
  });

  it('an unknown upload id is UPLOAD_NOT_FOUND', async () => {
    await freshTenant('progress-unknown');
    await expectRefusal(callRpc(db, t.member, 'upload_progress', { p_upload_id: newId() }), 'UPLOAD_NOT_FOUND');
  });

  it('stages out of order are refused with what to do first', async () => {
    await freshTenant('order');
    const rows = makeRows({ level: 'ad', campaigns: 1, days: 2 });
    const u = commitOf(rows, 'ad', { stageBatch: 4 });
    await begin(db, u);
    await stage(db, u, 0);
    await expectRefusal(resolve(db, u, 'campaign'), 'UPLOAD_CONFLICT', /Only 4 of the upload's 8 rows are staged/);
    await stage(db, u, 1);
    await expectRefusal(resolve(db, u, 'ad_set'), 'UPLOAD_CONFLICT', /Resolve campaigns before ad sets/);
    await resolve(db, u, 'campaign');
    await expectRefusal(resolve(db, u, 'ad'), 'UPLOAD_CONFLICT', /Resolve ad sets before ads/);
    await expectRefusal(writeFacts(db, u, 0), 'UPLOAD_CONFLICT', /Resolve campaigns, ad sets and ads before writing facts/);
    await expectRefusal(writeFacts(db, u, 1), 'INVALID_INPUT', /no fact batch 1: .* has 1 fact batches/);
    const f = await expectRefusal(
      finish(db, u),
      'UPLOAD_CONFLICT',
      /not finished: dimensions not resolved: ad_set, ad; 1 fact batch\(es\) not written \(0\)/,
    );
    expect(JSON.parse(f.detail ?? '{}')).toMatchObject({ dimensions_missing: ['ad_set', 'ad'], fact_batches_missing: [0] });
  });

  it('a stage the upload has not reached is refused with its status; a misspelt entity type with the types there are', async () => {
    await freshTenant('not-yet');
    const rows = makeRows({ level: 'ad', campaigns: 1, days: 2 });
    const u = commitOf(rows, 'ad');
    await begin(db, u);
    await expectRefusal(writeFacts(db, u, 0), 'UPLOAD_CONFLICT', /^This upload is pending: its facts can no longer be written\.$/);
    for (const [type, shown] of [
      ['adset', 'adset'],
      ['Campaign', 'Campaign'],
      [null, 'nothing'],
    ] as const) {
      await expectRefusal(
        callRpc(db, u.actor, 'resolve_dimensions', { p_upload_id: u.uploadId, p_entity_type: type }),
        'INVALID_INPUT',
        new RegExp(`^The entity type must be campaign, ad_set or ad, not ${shown}\\.$`),
      );
    }
    expect((await progress(db, u)).status).toBe('pending');
  });
});

describe('a FULL_DRY_RUN', () => {
  it('plans created / updated / unchanged against what is in the database and writes nothing', async () => {
    await freshTenant('dry');
    const rows = makeRows({ level: 'ad', campaigns: 2, adSetsPerCampaign: 1, adsPerAdSet: 2, days: 3 }); // 12 rows
    await runUpload(db, commitOf(rows, 'ad'));

    const next = structuredClone(rows);
    next[0]!.payload.clicks = '777'; // one fact update
    for (const r of next) if (r.payload.ad_external_id === adExternalId(0, 0, 0)) r.payload.ad_name = 'Creative renamed'; // one ad update
    const extra = makeRows({ level: 'ad', campaigns: 1, adSetsPerCampaign: 1, adsPerAdSet: 1, days: 1, idPrefix: '7777', firstRow: 100 });
    const dry = commitOf([...next, ...extra], 'ad', { mode: 'FULL_DRY_RUN' });

    const tables =
      'select (select count(*) from campaigns) + (select count(*) from ad_sets) + (select count(*) from ads) + (select count(*) from daily_metrics) as n';
    const before = await count(tables);
    const dm = await db.query('select id, xmin::text from daily_metrics order by id');
    const fin = await runUpload(db, dry);
    expect(fin.status).toBe('staged');
    expect(fin.plan).toEqual({
      campaigns: { create: 1, update: 0, unchanged: 2 },
      adSets: { create: 1, update: 0, unchanged: 2 },
      ads: { create: 1, update: 1, unchanged: 3 },
      facts: { create: 1, update: 1, unchanged: 11 },
    });
    expect(await count(tables)).toBe(before);
    expect((await db.query('select id, xmin::text from daily_metrics order by id')).rows).toEqual(dm.rows);
    const actions = await db.query(
      `select entity_type, action, count(*)::int as n, count(resolved_id)::int as with_id from staging_id_resolution
       where upload_id = $1 group by 1, 2 order by 1, 2`,
      [dry.uploadId],
    );
    expect(actions.rows).toEqual([
      { entity_type: 'ad', action: 'existing', n: 3, with_id: 3 },
      { entity_type: 'ad', action: 'would_create', n: 1, with_id: 0 },
      { entity_type: 'ad', action: 'would_update', n: 1, with_id: 1 },
      { entity_type: 'ad_set', action: 'existing', n: 2, with_id: 2 },
      { entity_type: 'ad_set', action: 'would_create', n: 1, with_id: 0 },
      { entity_type: 'campaign', action: 'existing', n: 2, with_id: 2 },
      { entity_type: 'campaign', action: 'would_create', n: 1, with_id: 0 },
    ]);
  });

  it('promote_upload commits the staged rows of a finished dry run, and a replay changes nothing', async () => {
    await freshTenant('promote');
    const rows = makeRows({ level: 'ad_set', campaigns: 2, adSetsPerCampaign: 2, days: 2 });
    const dry = commitOf(rows, 'ad_set', { mode: 'FULL_DRY_RUN' });
    const planned = await runUpload(db, dry);
    expect(planned.plan.facts).toEqual({ create: 8, update: 0, unchanged: 0 });

    const promoted = await callRpc<{ mode: string; status: string }>(db, dry.actor, 'promote_upload', { p_upload_id: dry.uploadId });
    expect(promoted).toMatchObject({ mode: 'COMMIT', status: 'committing' });
    expect(await callRpc(db, dry.actor, 'promote_upload', { p_upload_id: dry.uploadId })).toEqual(promoted);
    expect(await progress(db, dry)).toMatchObject({ staged_rows: 8, staged_batches: [0], dimensions_done: [], fact_batches_done: [] });

    for (const e of ['campaign', 'ad_set', 'ad'] as const) await resolve(db, dry, e);
    await writeFacts(db, dry, 0);
    const fin = await finish(db, dry);
    expect(fin).toMatchObject({ status: 'completed', mode: 'COMMIT' });
    expect(fin.plan).toEqual(planned.plan);
    expect(fin.summary.dry_run).toEqual(planned.plan);
    expect(await count('select count(*) n from daily_metrics where upload_id = $1', [dry.uploadId])).toBe(8);
  });

  it('only a finished dry run can be promoted', async () => {
    await freshTenant('promote-early');
    const rows = makeRows({ level: 'campaign' });
    const dry = commitOf(rows, 'campaign', { mode: 'FULL_DRY_RUN' });
    await begin(db, dry);
    await expectRefusal(
      callRpc(db, dry.actor, 'promote_upload', { p_upload_id: dry.uploadId }),
      'UPLOAD_CONFLICT',
      /finish it before committing/,
    );
    const commit = commitOf(rows, 'campaign');
    await runUpload(db, commit);
    await expectRefusal(callRpc(db, commit.actor, 'promote_upload', { p_upload_id: commit.uploadId }), 'UPLOAD_CONFLICT', /Only a dry run/);
  });
});

describe('the server checks every staged row itself', () => {
  async function stageOne(payload: Record<string, unknown>, level: 'campaign' | 'ad_set' | 'ad' = 'campaign', rowNumber: unknown = 7) {
    const u = commitOf(makeRows({ level, campaigns: 1, days: 1 }), level);
    await begin(db, u);
    const good = makeRows({ level, campaigns: 1, days: 1, firstRow: 2 })[0]!;
    const p = callRpc(db, u.actor, 'stage_rows', {
      p_upload_id: u.uploadId,
      p_batch_no: 0,
      p_rows: [{ row_number: rowNumber, payload: { ...good.payload, ...payload } }],
    });
    return { u, p };
  }

  it.each([
    [{ spend: '-3.00' }, /^Row 7: spend must be a non-negative decimal .* not "-3.00"\.$/],
    [{ spend: 12.5 }, /^Row 7: spend must be .* not 12\.5\.$/],
    [{ impressions: '1.5' }, /^Row 7: impressions must be a non-negative whole number/],
    [{ clicks: '1,200' }, /^Row 7: clicks must be a non-negative whole number/],
    [{ conversions: 'NaN' }, /^Row 7: conversions must be a non-negative decimal/],
    [{ conversion_value: '' }, /^Row 7: conversion_value must be a non-negative decimal/],
    [{ date: '2024-02-30' }, /^Row 7: date must be a real date written YYYY-MM-DD, not "2024-02-30"\.$/],
    [{ date: '2023-02-29' }, /^Row 7: date must be a real date/],
    [{ date: '03/01/2024' }, /^Row 7: date must be a real date/],
    [{ date: null }, /^Row 7: date is required/],
    [{ campaign_name: '   ' }, /^Row 7: campaign_name is required/],
    [{ campaign_external_id: 123 }, /^Row 7: campaign_external_id is required, as text/],
    [{ campaign_external_id: 'x'.repeat(65) }, /^Row 7: campaign_external_id is required, as text of 1 to 64 characters\.$/],
    [{ ad_set_external_id: '1' }, /^Row 7: ad_set_name is required with the other/],
    [
      { ad_set_external_id: '1', ad_set_name: 'A' },
      /^Row 7: ad_set_external_id is not expected: the upload was begun as a campaign-level file\.$/,
    ],
    [{ currency: 'usd' }, /^Row 7: currency must be an ISO 4217 code/],
    [{ ctr: '0.5' }, /^Row 7: ctr is not a field of the canonical row\.$/],
    [{ date: 20240301 }, /^Row 7: date must be a real date written YYYY-MM-DD, not 20240301\.$/],
    [{ date: '2024-03-01\n' }, /^Row 7: date must be a real date/],
    [{ impressions: '1'.repeat(19) }, /^Row 7: impressions must be a non-negative whole number .* not "1{19}"\.$/],
    [{ clicks: ' 35' }, /^Row 7: clicks must be a non-negative whole number/],
    [{ spend: '1.' + '5'.repeat(39) }, /^Row 7: spend must be a non-negative decimal/],
    [{ conversions: 3 }, /^Row 7: conversions must be a non-negative decimal .* not 3\.$/],
    [{ campaign_name: 'é'.repeat(1025) }, /^Row 7: campaign_name is required, as text of 1 to 1024 characters\.$/],
    [{ campaign_external_id: '' }, /^Row 7: campaign_external_id is required/],
  ])('refuses %j with INVALID_VALUE and the row number', async (payload, message) => {
    await freshTenant('invalid');
    const { u, p } = await stageOne(payload);
    const f = await expectRefusal(p, 'INVALID_VALUE', message);
    expect(JSON.parse(f.detail ?? '{}')).toMatchObject({ row: 7, batch_no: 0 });
    expect(await count('select count(*) n from staging_rows where upload_id = $1', [u.uploadId])).toBe(0);
  });

  it('accepts values at the limits: 18-digit counts, 40-character decimals, 64 and 1,024 characters of any script', async () => {
    await freshTenant('limits-ok');
    const { u, p } = await stageOne({
      impressions: '9'.repeat(18),
      clicks: '0',
      spend: '1.' + '5'.repeat(38),
      campaign_external_id: 'é'.repeat(64),
      campaign_name: 'é'.repeat(1024),
    });
    expect(await p).toMatchObject({ staged: 1 });
    const staged = await db.query(`select payload from staging_rows where upload_id = $1`, [u.uploadId]);
    expect(staged.rows[0].payload).toMatchObject({ impressions: '9'.repeat(18), spend: '1.' + '5'.repeat(38) });
  });

  it('an ad-level upload needs the ad on every row', async () => {
    await freshTenant('invalid-level');
    const { p } = await stageOne({ ad_external_id: undefined, ad_name: undefined }, 'ad');
    await expectRefusal(p, 'INVALID_VALUE', /^Row 7: ad_external_id is required: the upload was begun as an ad-level file\.$/);
  });

  it('a row in another currency than the client is CURRENCY_MISMATCH', async () => {
    await freshTenant('currency');
    const { p } = await stageOne({ currency: 'EUR' });
    await expectRefusal(p, 'CURRENCY_MISMATCH', /^Row 7: currency is EUR, but this client reports in USD\./);
  });

  it('a bad row_number names the item', async () => {
    await freshTenant('row-number');
    const { p } = await stageOne({}, 'campaign', -1);
    await expectRefusal(p, 'INVALID_INPUT', /^Item 1 of batch 0: row_number must be a whole number of at least 1, not -1\.$/);
  });

  it('the first bad row by row number is the one reported, and nothing of the batch is stored', async () => {
    await freshTenant('first-bad');
    const rows = makeRows({ level: 'campaign', campaigns: 2, days: 3 });
    rows[4]!.payload.clicks = '-1';
    rows[2]!.payload.spend = 'abc';
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    await expectRefusal(stage(db, u, 0), 'INVALID_VALUE', /^Row 4: spend/);
    expect(await progress(db, u)).toMatchObject({ status: 'pending', staged_rows: 0, staged_batches: [] });
  });

  it('one external id with two names, or two parents, is CONFLICTING_DIMENSION with both rows', async () => {
    await freshTenant('conflict');
    const rows = makeRows({ level: 'ad_set', campaigns: 2, adSetsPerCampaign: 1, days: 2 });
    rows[2]!.payload.campaign_name = 'Another name';
    const u = commitOf(rows, 'ad_set');
    await begin(db, u);
    await stage(db, u, 0);
    const f = await expectRefusal(
      resolve(db, u, 'campaign'),
      'CONFLICTING_DIMENSION',
      new RegExp(
        `^Campaign ${campaignExternalId(0)} has two names in this file: "Spring Sale 1" in row 2 and "Another name" in row 4\\. Give each id one name\\.$`,
      ),
    );
    expect(JSON.parse(f.detail ?? '{}')).toMatchObject({ row: 4, first_row: 2, entity_type: 'campaign' });
    expect(await count('select count(*) n from campaigns where workspace_id = $1', [t.workspaceId])).toBe(0);

    const moved = makeRows({ level: 'ad_set', campaigns: 2, adSetsPerCampaign: 1, days: 2 });
    // campaign 2's row names campaign 1's ad set, with its name: one ad set, two parents
    moved[3]!.payload.ad_set_external_id = adSetExternalId(0, 0);
    moved[3]!.payload.ad_set_name = moved[0]!.payload.ad_set_name;
    const v = commitOf(moved, 'ad_set');
    await begin(db, v);
    await stage(db, v, 0);
    await resolve(db, v, 'campaign');
    await expectRefusal(
      resolve(db, v, 'ad_set'),
      'CONFLICTING_DIMENSION',
      new RegExp(
        `^Ad set ${adSetExternalId(0, 0)} belongs to two campaigns in this file: ${campaignExternalId(0)} in row 2 and ${campaignExternalId(1)} in row 5\\. Each ad set belongs to one campaign\\.$`,
      ),
    );
  });

  it('the same day twice for one campaign, ad set and ad is DUPLICATE_ROW', async () => {
    await freshTenant('duplicate');
    const rows = makeRows({ level: 'campaign', campaigns: 2, days: 2 });
    rows.push({ row_number: 40, payload: { ...rows[1]!.payload, spend: '1.00' } });
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    await stage(db, u, 0);
    const f = await expectRefusal(
      resolve(db, u, 'campaign'),
      'DUPLICATE_ROW',
      new RegExp(`^Rows 3 and 40 are both for campaign ${campaignExternalId(1)} on 2024-03-01`),
    );
    expect(JSON.parse(f.detail ?? '{}')).toEqual({ row: 40, first_row: 3 });
  });

  it('an ad-level grain repeated three times names its first two rows', async () => {
    await freshTenant('duplicate-ad');
    const rows = makeRows({ level: 'ad', campaigns: 2, days: 2 });
    const twice = rows[5]!;
    rows.push({ row_number: 90, payload: { ...twice.payload, clicks: '1' } }, { row_number: 60, payload: { ...twice.payload } });
    const u = commitOf(rows, 'ad');
    await begin(db, u);
    await stage(db, u, 0);
    const f = await expectRefusal(
      resolve(db, u, 'campaign'),
      'DUPLICATE_ROW',
      new RegExp(
        `^Rows ${twice.row_number} and 60 are both for campaign .* / ad set .* / ad ${twice.payload.ad_external_id} on ${twice.payload.date}:`,
      ),
    );
    expect(JSON.parse(f.detail ?? '{}')).toEqual({ row: 60, first_row: twice.row_number });
  });

  it('more rows than announced at begin are refused', async () => {
    await freshTenant('overflow');
    const rows = makeRows({ level: 'campaign', campaigns: 1, days: 3 });
    const u = commitOf(rows.slice(0, 2), 'campaign');
    await begin(db, u);
    await expectRefusal(
      callRpc(db, u.actor, 'stage_rows', { p_upload_id: u.uploadId, p_batch_no: 0, p_rows: rows }),
      'INVALID_INPUT',
      /bring the upload to 3 rows, more than the 2 announced/,
    );
  });

  it('two batches staged at the same time cannot together bring more rows than announced', async () => {
    await freshTenant('overflow-race');
    const rows = makeRows({ level: 'campaign', campaigns: 2, days: 2 });
    const u = commitOf(rows.slice(0, 2), 'campaign');
    await begin(db, u);
    const first = new pg.Client({ connectionString: url });
    const watcher = new pg.Client({ connectionString: url });
    await Promise.all([first.connect(), watcher.connect()]);
    try {
      // A modified app sends every announced row in batch 0 and two more in batch 1, side by side.
      await beginAs(first, u.actor);
      await first.query('select public.stage_rows($1, 0, $2)', [u.uploadId, JSON.stringify(rows.slice(0, 2))]);
      const second = callRpc(db, u.actor, 'stage_rows', { p_upload_id: u.uploadId, p_batch_no: 1, p_rows: rows.slice(2) });
      const refused = expectRefusal(second, 'INVALID_INPUT', /^This batch would bring the upload to 4 rows, more than the 2 announced/);
      // Batch 1 has to wait for batch 0 before it counts; then batch 0 commits.
      for (let i = 0; i < 200; i++) {
        const w = await watcher.query<{ n: string }>('select count(*) n from pg_locks where not granted and pid = $1', [pidOf(db)]);
        if (Number(w.rows[0]?.n) > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await first.query('commit');
      await refused;
    } finally {
      await Promise.all([first.end(), watcher.end()]);
    }
    expect(await count('select count(*) n from staging_rows where upload_id = $1', [u.uploadId])).toBe(2);
    expect(await progress(db, u)).toMatchObject({ staged_rows: 2, staged_batches: [0] });
  });
});

describe('failing an upload', () => {
  it('records the error, keeps what committed, and stops further stages', async () => {
    await freshTenant('fail');
    const rows = makeRows({ level: 'campaign', campaigns: 1, days: 2 });
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    await stage(db, u, 0);
    const failed = await callRpc<{ status: string; summary: unknown }>(db, u.actor, 'fail_upload', {
      p_upload_id: u.uploadId,
      p_code: 'NETWORK_ERROR',
      p_message: 'The connection dropped.',
      p_stage: 'stage',
    });
    expect(failed).toMatchObject({
      status: 'failed',
      summary: { error: { code: 'NETWORK_ERROR', message: 'The connection dropped.', stage: 'stage' } },
    });
    // a second call keeps the first error
    const again = await callRpc(db, u.actor, 'fail_upload', { p_upload_id: u.uploadId, p_code: 'CANCELLED', p_message: 'x', p_stage: 'x' });
    expect(again).toEqual(failed);
    await expectRefusal(resolve(db, u, 'campaign'), 'UPLOAD_CONFLICT', /This upload failed \(NETWORK_ERROR\) and cannot continue/);
    expect(await count('select count(*) n from staging_rows where upload_id = $1', [u.uploadId])).toBe(2);
  });

  it("an owner may fail a member's abandoned upload; another member may not; a completed upload cannot fail", async () => {
    await freshTenant('fail-owner');
    const rows = makeRows({ level: 'campaign', campaigns: 1, days: 1 });
    const u = commitOf(rows, 'campaign');
    await begin(db, u);
    const other = await createUser(db, `other.${newId()}@example.com`);
    await addMember(db, t.workspaceId, other, 'member');
    const args = { p_upload_id: u.uploadId, p_code: 'CANCELLED', p_message: 'Abandoned.', p_stage: 'begin' };
    await expectRefusal(callRpc(db, other, 'fail_upload', args), 'NOT_AUTHORIZED');
    await expectRefusal(stage(db, { ...u, actor: t.owner }, 0), 'NOT_AUTHORIZED', /Another member of the workspace began this upload/);
    expect(await callRpc(db, t.owner, 'fail_upload', args)).toMatchObject({ status: 'failed' });

    const done = commitOf(rows, 'campaign');
    await runUpload(db, done);
    await expectRefusal(
      callRpc(db, done.actor, 'fail_upload', { ...args, p_upload_id: done.uploadId }),
      'UPLOAD_CONFLICT',
      /already completed/,
    );
  });
});

describe('data_uploads as members see it', () => {
  it('a member reads the upload row with its summary through RLS', async () => {
    await freshTenant('read');
    const u = commitOf(makeRows({ level: 'campaign' }), 'campaign');
    await runUpload(db, u);
    const r = await asUser(
      db,
      t.viewer,
      "select status, mode, row_count, summary->'plan'->'facts' as facts from data_uploads where id = $1",
      [u.uploadId],
    );
    expect(r.rows).toEqual([{ status: 'completed', mode: 'COMMIT', row_count: 6, facts: { create: 6, update: 0, unchanged: 0 } }]);
  });
});
