// The upload half of `npm run bench`: a sandbox (embedded PostgreSQL + the test gateway, through the
// real supabase-js, a signed-in member) and the runs made against it: the 100,000-row export
// uploaded end to end over loopback, the COPY floor on the same rows, the same upload through a
// throttled link (bench/network.ts) and into a table of 10 million rows (bench/scale.ts).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEngine, silentLogger, systemClock } from '../electron/engine/index.ts';
import { openStore, storeFile } from '../electron/engine/store/open.ts';
import { applySchema, createDatabaseFrom, startPostgres, type RunningPostgres } from '../test/support/postgres.ts';
import { startGateway, type Gateway } from '../test/gateway/server.ts';
import { seedDemo } from '../test/sandbox/seed.ts';
import type { UploadProgress } from '../shared/ipc-contract.ts';

export interface BenchWorld {
  server: RunningPostgres;
  databaseUrl: string;
  gateway: Gateway;
  workspaceId: string;
  member: { email: string; password: string };
  sql: pg.Client;
  /** A new client of the demo workspace, so each run writes every row as new. */
  newClient(name: string): Promise<string>;
  close(): Promise<void>;
}

/** Lines the PostgreSQL server logs (auto_explain's plans, for the scale run). */
export type ServerLog = (line: string) => void;

export async function startBenchWorld(opts: { log?: ServerLog } = {}): Promise<BenchWorld> {
  const server = await startPostgres(opts.log ? { log: opts.log } : {});
  await createDatabaseFrom(server.url(), 'metricdrop', 'template1');
  const databaseUrl = server.url('metricdrop');
  await applySchema(databaseUrl);
  const gateway = await startGateway({ databaseUrl });
  const info = await seedDemo(databaseUrl, gateway);
  const ws = info.workspaces[0]!;
  const member = ws.users.find((u) => u.role === 'member')!;
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  return {
    server,
    databaseUrl,
    gateway,
    workspaceId: ws.id,
    member,
    sql,
    async newClient(name) {
      const r = await sql.query<{ id: string }>(
        `insert into public.clients (workspace_id, name, currency) values ($1, $2, 'USD') returning id::text`,
        [ws.id, name],
      );
      return r.rows[0]!.id;
    },
    async close() {
      await sql.end().catch(() => undefined);
      await gateway.close().catch(() => undefined);
      await server.stop();
    },
  };
}

export interface TimedUpload {
  rows: number;
  ms: number;
  rowsPerSecond: number;
  stageMs: Record<string, number>;
  uploadId: string;
  /** The last progress event of each stage, as the window would show it. */
  lastProgress: Record<string, UploadProgress>;
}

export interface UploadOptions {
  clientName: string;
  /** The URL the app talks to (a throttling proxy in front of the gateway), default the gateway. */
  url?: string;
  fetch?: typeof fetch;
  /** Called after sign-in and validation, right before the timed upload starts. */
  beforeUpload?: () => void;
  /** Called when each stage's first progress event arrives (its start), and with 'end' after the upload. */
  onStage?: (stage: string) => void;
}

/** Signs a fresh computer in, validates `file` and times `engine.uploads.upload` of it. */
export async function timedUpload(world: BenchWorld, file: string, opts: UploadOptions): Promise<TimedUpload> {
  const home = mkdtempSync(join(tmpdir(), 'metricdrop-bench-home-'));
  const db = openStore(storeFile(home));
  try {
    const engine = createEngine({ db, clock: systemClock, logger: silentLogger, home, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
    await engine.uploads.signIn({
      url: opts.url ?? world.gateway.url,
      anonKey: world.gateway.anonKey,
      email: world.member.email,
      password: world.member.password,
    });
    const v = await engine.validateFile(file);
    if (v.report.rows.invalid > 0 || v.report.refused) throw new Error('bench file does not validate cleanly');
    const rows = v.report.rows.valid;
    const stageStart: Record<string, number> = {};
    const stageMs: Record<string, number> = {};
    const lastProgress: Record<string, UploadProgress> = {};
    opts.beforeUpload?.();
    const t0 = performance.now();
    const up = await engine.uploads.upload(
      v.validationId,
      { clientRef: opts.clientName },
      {
        onProgress: (p) => {
          if (stageStart[p.stage] === undefined) opts.onStage?.(p.stage);
          stageStart[p.stage] ??= performance.now();
          stageMs[p.stage] = Math.round(performance.now() - stageStart[p.stage]!);
          lastProgress[p.stage] = p;
        },
      },
    );
    const ms = performance.now() - t0;
    opts.onStage?.('end');
    if (up.error || up.status !== 'completed' || !up.uploadId) throw new Error(`bench upload failed: ${JSON.stringify(up.error)}`);
    return { rows, ms: Math.round(ms), rowsPerSecond: Math.round(rows / (ms / 1000)), stageMs, uploadId: up.uploadId, lastProgress };
  } finally {
    db.close();
    rmSync(home, { recursive: true, force: true });
  }
}

export interface FloorFigures {
  ms: number;
  rowsPerSecond: number;
}

/**
 * The floor: the client's rows (as the upload wrote them), straight into PostgreSQL as the superuser,
 * with no HTTP, no JSON batches, no staging and no per-batch ledger. The client's facts are emptied
 * first so both write every row.
 */
export async function measureFloor(world: BenchWorld, clientId: string, uploadId: string): Promise<FloorFigures> {
  const sql = world.sql;
  const dir = mkdtempSync(join(tmpdir(), 'metricdrop-bench-copy-'));
  const tsv = join(dir, 'rows.tsv');
  try {
    const rows = await sql.query<{ line: string }>(
      `select concat_ws(E'\\t', m.date, c.external_id, coalesce(s.external_id, '\\N'), coalesce(a.external_id, '\\N'),
                        m.impressions, m.clicks, m.spend, m.conversions, m.conversion_value) line
       from public.daily_metrics m join public.campaigns c on c.id = m.campaign_id
       left join public.ad_sets s on s.id = m.ad_set_id left join public.ads a on a.id = m.ad_id
       where m.client_id = $1`,
      [clientId],
    );
    const count = rows.rows.length;
    writeFileSync(tsv, rows.rows.map((r) => r.line).join('\n') + '\n');
    chmodSync(tsv, 0o644);
    chmodSync(dir, 0o755);
    await sql.query('delete from public.daily_metrics where client_id = $1', [clientId]);
    const f0 = performance.now();
    await sql.query('begin');
    await sql.query(`create temp table floor_rows (date date, campaign text, ad_set text, ad text, impressions bigint, clicks bigint,
                       spend numeric, conversions numeric, conversion_value numeric) on commit drop`);
    await sql.query(`copy floor_rows from ${pg.escapeLiteral(tsv)}`);
    // Fresh statistics, or the planner (believing the tables hold one row) nests loops over every ad
    // for every row and the "floor" takes seconds longer than the upload.
    await sql.query('analyze floor_rows, public.campaigns, public.ad_sets, public.ads');
    await sql.query(
      `insert into public.daily_metrics (workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id,
                                         impressions, clicks, spend, conversions, conversion_value, upload_id)
       select $1, $2, 'meta', f.date, c.id, s.id, a.id, f.impressions, f.clicks, f.spend, f.conversions, f.conversion_value, $3
       from floor_rows f
       join public.campaigns c on c.workspace_id = $1 and c.client_id = $2 and c.platform = 'meta' and c.external_id = f.campaign
       left join public.ad_sets s on s.workspace_id = $1 and s.client_id = $2 and s.platform = 'meta' and s.external_id = f.ad_set
       left join public.ads a on a.workspace_id = $1 and a.client_id = $2 and a.platform = 'meta' and a.external_id = f.ad
       on conflict (workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id) do update
         set impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
             conversions = excluded.conversions, conversion_value = excluded.conversion_value, upload_id = excluded.upload_id`,
      [world.workspaceId, clientId, uploadId],
    );
    await sql.query('commit');
    const ms = performance.now() - f0;
    const n = await sql.query<{ n: number }>('select count(*)::int n from public.daily_metrics where client_id = $1', [clientId]);
    if (n.rows[0]?.n !== count) throw new Error(`floor wrote ${n.rows[0]?.n} rows, expected ${count}`);
    return { ms: Math.round(ms), rowsPerSecond: Math.round(count / (ms / 1000)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
