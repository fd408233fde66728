import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorkspace, newClient as newClientIn, signedInClient, signedInDesk, startWorld, type Desk, type UploadWorld } from './env.ts';

let world: UploadWorld;
const desks: Desk[] = [];

const northwind = () => demoWorkspace(world);
const harbor = () => world.info.workspaces[1]!;
const userOf = (ws: ReturnType<typeof northwind>, role: string) => ws.users.find((u) => u.role === role)!;

async function deskFor(user: { email: string; password: string }): Promise<Desk> {
  const desk = await signedInDesk(world, { user });
  desks.push(desk);
  return desk;
}

const newClient = (name: string) => newClientIn(world, name);

/** Uploads recorded directly in the database, as if other people had made them. */
async function pastUploads(clientId: string, n: number, status: string, mode = 'COMMIT'): Promise<void> {
  const member = userOf(northwind(), 'member');
  for (let i = 0; i < n; i++) {
    await world.sql.query(
      `insert into public.data_uploads (id, workspace_id, client_id, platform, uploaded_by, file_name, file_sha256, mode, status, row_count, summary)
       values ($1, $2, $3, 'tiktok', $4, 'earlier.csv', $5, $6, $7, 10, '{}')`,
      [randomUUID(), northwind().id, clientId, member.id, randomUUID().replaceAll('-', '').padEnd(64, '0'), mode, status],
    );
  }
}

const FILE = 'tiktok/ad-daily-by-day-total-row.csv';

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  for (const d of desks) d.close();
  await world?.close();
});

describe('refusals reach the user with their code and a sentence, and nothing is written', () => {
  it('a viewer cannot upload (NOT_AUTHORIZED)', async () => {
    const desk = await deskFor(userOf(northwind(), 'viewer'));
    const v = await desk.validate(FILE);
    const written = async () =>
      (
        await world.sql.query<{ n: string }>(
          'select (select count(*) from public.daily_metrics) + (select count(*) from public.data_uploads) as n',
        )
      ).rows[0]?.n;
    const before = await written();
    const up = await desk.service.upload(v.id, { clientRef: 'Acme Outdoor' });
    expect(up.error?.code).toBe('NOT_AUTHORIZED');
    expect(up.error?.message).toMatch(/viewer/i);
    expect(await written()).toBe(before);
  });

  it('the eleventh COMMIT upload of a client within an hour is RATE_LIMITED', async () => {
    const clientId = await newClient('Busy Client');
    await pastUploads(clientId, 10, 'completed');
    const desk = await deskFor(userOf(northwind(), 'member'));
    const v = await desk.validate(FILE);
    const up = await desk.service.upload(v.id, { clientRef: 'Busy Client' });
    expect(up.error).toMatchObject({ code: 'RATE_LIMITED', stage: 'begin' });
    expect(up.error?.message.length).toBeGreaterThan(20);
    expect(up.error?.message).toMatch(/Busy Client.*at most 10 per hour/);
    expect(await desk.service.awaitingResume()).toEqual([]);
    const rows = await world.sql.query('select 1 from public.daily_metrics where client_id = $1', [clientId]);
    expect(rows.rowCount).toBe(0);
  });

  it('a fourth upload while three run in the workspace is CONCURRENCY_LIMIT', async () => {
    const clientId = await newClient('Crowded Client');
    await pastUploads(clientId, 3, 'staging');
    try {
      const desk = await deskFor(userOf(northwind(), 'member'));
      const v = await desk.validate(FILE);
      const up = await desk.service.upload(v.id, { clientRef: 'Acme Outdoor' });
      expect(up.error).toMatchObject({ code: 'CONCURRENCY_LIMIT', stage: 'begin' });
    } finally {
      await world.sql.query(`update public.data_uploads set status = 'failed' where client_id = $1`, [clientId]);
    }
  });

  it('committing a dry run older than 24 hours is UPLOAD_EXPIRED', async () => {
    const desk = await deskFor(userOf(northwind(), 'member'));
    const v = await desk.validate(FILE);
    const dry = await desk.service.dryRun(v.id, { clientRef: 'Acme Outdoor' });
    expect(dry.status).toBe('staged');
    await world.sql.query(`update public.data_uploads set created_at = now() - interval '25 hours' where id = $1`, [dry.uploadId]);
    const commit = await desk.service.commitDryRun(dry.uploadId!);
    expect(commit.error?.code).toBe('UPLOAD_EXPIRED');
    expect(commit.error?.message).toMatch(/dry run/i);
  });

  it('a fresh dry run is committed without staging its rows again', async () => {
    const desk = await deskFor(userOf(northwind(), 'member'));
    const clientId = await newClient('Promoted Client');
    const v = await desk.validate(FILE);
    const dry = await desk.service.dryRun(v.id, { clientRef: 'Promoted Client' });
    let staged = 0;
    const commit = await desk.service.commitDryRun(dry.uploadId!, {
      onProgress: (p) => p.stage === 'stage' && (staged = p.total - p.done),
    });
    expect(commit.error).toBeNull();
    expect(commit.status).toBe('completed');
    expect(staged).toBe(0);
    const n = await world.sql.query('select count(*)::int n from public.daily_metrics where client_id = $1', [clientId]);
    expect(n.rows[0].n).toBe(v.result.rows.length);
  });
});

describe('dry runs and the three upload slots of a workspace', () => {
  it('dry runs that will not be committed are discarded and free their slot', async () => {
    const desk = await deskFor(userOf(northwind(), 'member'));
    // Three dry runs of three validations, kept for committing later (as the window does), fill the
    // workspace's slots (a dry run of the same validation would replace the one before)...
    const kept = [];
    for (let i = 0; i < 3; i++) kept.push(await desk.service.dryRun((await desk.validate(FILE)).id, { clientRef: 'Acme Outdoor' }));
    expect(kept.map((k) => k.status)).toEqual(['staged', 'staged', 'staged']);
    const v = await desk.validate(FILE);
    const blocked = await desk.service.upload(v.id, { clientRef: 'Acme Outdoor' });
    expect(blocked.error?.code).toBe('CONCURRENCY_LIMIT');
    // ...discarding them frees the slots; a dry run made to be looked at only (the CLI's) holds none.
    for (const k of kept) await desk.service.discardDryRun(k.uploadId!);
    for (let i = 0; i < 4; i++)
      expect((await desk.service.dryRun(v.id, { clientRef: 'Acme Outdoor' }, {}, { keep: false })).status).toBe('staged');
    const up = await desk.service.upload(v.id, { clientRef: 'Acme Outdoor' });
    expect(up.error).toBeNull();
    const states = await world.sql.query<{ status: string; code: string | null }>(
      `select status, summary #>> '{error,code}' code from public.data_uploads where id = any($1::uuid[])`,
      [kept.map((k) => k.uploadId)],
    );
    expect(states.rows).toEqual([...Array(3)].map(() => ({ status: 'failed', code: 'CANCELLED' })));
  });
});

describe('two users in two workspaces see and touch only their own data', () => {
  it("the other workspace's clients are unknown to the app, and its rows are invisible", async () => {
    const maya = await deskFor(userOf(northwind(), 'member'));
    const v = await maya.validate(FILE);
    const up = await maya.service.upload(v.id, { clientRef: 'Acme Outdoor' });
    expect(up.error).toBeNull();

    const sam = await deskFor(userOf(harbor(), 'member'));
    const who = await sam.service.whoami();
    expect(who?.clients.map((c) => c.clientName)).toEqual(harbor().clients.map((c) => c.name));
    const sv = await sam.validate(FILE);
    await expect(sam.service.upload(sv.id, { clientRef: 'Acme Outdoor' })).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });
    await expect(sam.service.upload(sv.id, { clientRef: northwind().clients[0]!.id })).rejects.toMatchObject({ code: 'CLIENT_NOT_FOUND' });

    // Through the same client library, as the app would: no rows of Northwind, no way to continue its upload.
    const sb = await signedInClient(world, userOf(harbor(), 'member'));
    for (const table of ['daily_metrics', 'campaigns', 'ad_sets', 'ads', 'data_uploads', 'staging_rows']) {
      const r = await sb.from(table).select('workspace_id');
      expect(r.error, table).toBeNull();
      expect(
        (r.data ?? []).filter((x: { workspace_id: string }) => x.workspace_id === northwind().id),
        table,
      ).toEqual([]);
    }
    const progress = await sb.rpc('upload_progress', { p_upload_id: up.uploadId });
    expect(progress.error?.hint).toBe('UPLOAD_NOT_FOUND');
    const write = await sb.rpc('write_facts', { p_upload_id: up.uploadId, p_batch_no: 0 });
    expect(write.error).not.toBeNull();
    expect(write.error?.hint).toBe('UPLOAD_NOT_FOUND');
    const forged = await sb.rpc('begin_upload', {
      p_upload_id: randomUUID(),
      p_workspace_id: northwind().id,
      p_client_id: northwind().clients[0]!.id,
      p_platform: 'tiktok',
      p_mode: 'COMMIT',
      p_file_name: 'x.csv',
      p_file_sha256: 'f'.repeat(64),
      p_file_bytes: 10,
      p_row_count: 1,
      p_level: 'ad',
      p_currency: 'USD',
    });
    expect(forged.error?.hint).toBe('NOT_AUTHORIZED');
  });
});

describe('which dry run an upload commits: the engine decides, the same for the command line and the app', () => {
  it('a new dry run of a file replaces its staged one; an upload naming it commits it without staging again', async () => {
    const desk = await deskFor(userOf(northwind(), 'member'));
    const clientId = await newClient('Replaced Dry Run Client');
    const v = await desk.validate(FILE);
    const first = await desk.service.dryRun(v.id, { clientRef: 'Replaced Dry Run Client' });
    const second = await desk.service.dryRun(v.id, { clientRef: 'Replaced Dry Run Client' });
    expect([first.status, second.status]).toEqual(['staged', 'staged']);
    const states = await world.sql.query<{ id: string; status: string }>(
      `select id, status from public.data_uploads where id = any($1::uuid[])`,
      [[first.uploadId, second.uploadId]],
    );
    expect(Object.fromEntries(states.rows.map((r) => [r.id, r.status]))).toEqual({
      [first.uploadId!]: 'failed',
      [second.uploadId!]: 'staged',
    });

    let staged = 0;
    const up = await desk.service.upload(
      v.id,
      { clientRef: 'Replaced Dry Run Client', dryRunId: second.uploadId! },
      { onProgress: (p) => p.stage === 'stage' && (staged = p.total - p.done) },
    );
    expect(up).toMatchObject({ error: null, status: 'completed', uploadId: second.uploadId });
    expect(staged).toBe(0);
    const n = await world.sql.query('select count(*)::int n from public.daily_metrics where client_id = $1', [clientId]);
    expect(n.rows[0].n).toBe(v.result.rows.length);
  });

  it('uploads afresh when the named dry run is of another client, or has expired on the server', async () => {
    const desk = await deskFor(userOf(northwind(), 'member'));
    await newClient('Other Target Client');
    await newClient('Expired Dry Run Client');
    const v = await desk.validate(FILE);
    const forOther = await desk.service.dryRun(v.id, { clientRef: 'Other Target Client' });
    const fresh = await desk.service.upload(v.id, { clientRef: 'Expired Dry Run Client', dryRunId: forOther.uploadId! });
    expect(fresh.error).toBeNull();
    expect(fresh.uploadId).not.toBe(forOther.uploadId);

    const w = await desk.validate(FILE);
    const old = await desk.service.dryRun(w.id, { clientRef: 'Expired Dry Run Client' });
    await world.sql.query(`update public.data_uploads set created_at = now() - interval '25 hours' where id = $1`, [old.uploadId]);
    const afresh = await desk.service.upload(w.id, { clientRef: 'Expired Dry Run Client', dryRunId: old.uploadId! });
    expect(afresh).toMatchObject({ error: null, status: 'completed' });
    expect(afresh.uploadId).not.toBe(old.uploadId);
  });
});
