// The upload half of `npm run bench`: the 100,000-row export uploaded end to end to a sandbox (embedded
// PostgreSQL + the test gateway, through the real supabase-js), and the floor: the same canonical rows
// loaded with COPY into a temporary table plus one INSERT … ON CONFLICT into daily_metrics.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEngine, silentLogger, systemClock } from '../electron/engine/index.ts';
import { openStore, storeFile } from '../electron/engine/store/open.ts';
import { applySchema, createDatabaseFrom, startPostgres } from '../test/support/postgres.ts';
import { startGateway } from '../test/gateway/server.ts';
import { seedDemo } from '../test/sandbox/seed.ts';

export interface UploadBenchFigures {
  rows: number;
  uploadMs: number;
  uploadRowsPerSecond: number;
  stageMs: Record<string, number>;
  floorMs: number;
  floorRowsPerSecond: number;
  ratio: number;
}

/** Uploads `file` (already a valid Meta ad-level export) and measures the COPY floor on the same rows. */
export async function benchUpload(file: string): Promise<UploadBenchFigures> {
  const server = await startPostgres();
  const home = mkdtempSync(join(tmpdir(), 'metricdrop-bench-home-'));
  try {
    await createDatabaseFrom(server.url(), 'metricdrop', 'template1');
    const databaseUrl = server.url('metricdrop');
    await applySchema(databaseUrl);
    const gateway = await startGateway({ databaseUrl });
    try {
      const info = await seedDemo(databaseUrl, gateway);
      const ws = info.workspaces[0]!;
      const member = ws.users.find((u) => u.role === 'member')!;
      const client = ws.clients.find((c) => c.currency === 'USD')!;
      const db = openStore(storeFile(home));
      const engine = createEngine({ db, clock: systemClock, logger: silentLogger, home });
      await engine.uploads.signIn({ url: gateway.url, anonKey: gateway.anonKey, email: member.email, password: member.password });
      const v = await engine.validateFile(file);
      if (v.report.rows.invalid > 0 || v.report.refused) throw new Error('bench file does not validate cleanly');

      const stageStart: Record<string, number> = {};
      const stageMs: Record<string, number> = {};
      const t0 = performance.now();
      const up = await engine.uploads.upload(v.validationId, { clientRef: client.name }, {
        onProgress: (p) => {
          stageStart[p.stage] ??= performance.now();
          stageMs[p.stage] = Math.round(performance.now() - stageStart[p.stage]!);
        },
      });
      const uploadMs = performance.now() - t0;
      if (up.error || up.status !== 'completed') throw new Error(`bench upload failed: ${JSON.stringify(up.error)}`);
      const rows = v.rows.length;

      // The floor: the same rows, straight into PostgreSQL as the superuser, with no HTTP, no JSON
      // batches, no staging and no per-batch ledger. Facts are emptied first so both write every row.
      const sql = new pg.Client({ connectionString: databaseUrl });
      await sql.connect();
      const tsv = join(mkdtempSync(join(tmpdir(), 'metricdrop-bench-copy-')), 'rows.tsv');
      writeFileSync(
        tsv,
        v.rows
          .map(({ row: r }) =>
            [r.date, r.campaign_external_id, r.ad_set_external_id ?? '\\N', r.ad_external_id ?? '\\N', r.impressions, r.clicks, r.spend, r.conversions, r.conversion_value].join('\t'),
          )
          .join('\n') + '\n',
      );
      chmodSync(tsv, 0o644);
      chmodSync(join(tsv, '..'), 0o755);
      await sql.query('delete from public.daily_metrics where client_id = $1', [client.id]);
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
        [ws.id, client.id, up.uploadId],
      );
      await sql.query('commit');
      const floorMs = performance.now() - f0;
      const n = await sql.query<{ n: number }>('select count(*)::int n from public.daily_metrics where client_id = $1', [client.id]);
      await sql.end();
      rmSync(join(tsv, '..'), { recursive: true, force: true });
      db.close();
      if (n.rows[0]?.n !== rows) throw new Error(`floor wrote ${n.rows[0]?.n} rows, expected ${rows}`);
      return {
        rows,
        uploadMs: Math.round(uploadMs),
        uploadRowsPerSecond: Math.round(rows / (uploadMs / 1000)),
        stageMs,
        floorMs: Math.round(floorMs),
        floorRowsPerSecond: Math.round(rows / (floorMs / 1000)),
        ratio: Number((uploadMs / floorMs).toFixed(2)),
      };
    } finally {
      await gateway.close();
    }
  } finally {
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { makeMetaExport } = await import('./make-meta-export.ts');
  const file = join(mkdtempSync(join(tmpdir(), 'metricdrop-bench-')), 'meta-ad-daily-100k.csv');
  await makeMetaExport(file, Number(process.argv[2] ?? 100_000));
  console.log(JSON.stringify(await benchUpload(file), null, 2));
}
