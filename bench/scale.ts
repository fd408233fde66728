// The scale run of `npm run bench`: the same upload into a daily_metrics that already holds millions
// of rows for other clients and dates of the same workspace (default 10 million), against the run
// into the empty table; then the plans of the facts upsert and of the dry run's comparison, as the
// database chose them for the app's own requests (auto_explain), checked to use the natural key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, silentLogger, systemClock } from '../electron/engine/index.ts';
import { openStore, storeFile } from '../electron/engine/store/open.ts';
import { startGateway } from '../test/gateway/server.ts';
import { makeMetaExport } from './make-meta-export.ts';
import { timedUpload, type BenchWorld, type TimedUpload } from './upload.ts';

const HISTORY_CLIENTS = 10;
const ADS_PER_CLIENT = 1_000; // 100 ad sets of 10 ads, 10 campaigns of 10 ad sets

export interface HistoryFigures {
  rows: number;
  clients: number;
  ms: number;
  tableBytes: number;
}

/**
 * Fills daily_metrics with `rows` rows of other clients of the workspace: 10 clients of 1,000 ads
 * each, one row per ad and day back from 2025-08-31 (so never on the upload's dates), generated
 * inside PostgreSQL (generate_series), then analysed as autovacuum would have by then.
 */
export async function fillHistory(world: BenchWorld, rows: number, say: (line: string) => void): Promise<HistoryFigures> {
  const sql = world.sql;
  const t0 = performance.now();
  const perClient = Math.ceil(rows / HISTORY_CLIENTS);
  const days = Math.ceil(perClient / ADS_PER_CLIENT);
  const member = await sql.query<{ id: string }>('select id::text from auth.users where email = $1', [world.member.email]);
  let written = 0;
  for (let c = 0; c < HISTORY_CLIENTS && written < rows; c++) {
    const clientId = await world.newClient(`History client ${c}`);
    const upload = await sql.query<{ id: string }>(
      `insert into public.data_uploads (id, workspace_id, client_id, platform, uploaded_by, file_name, file_sha256, mode, status, row_count)
       values (gen_random_uuid(), $1, $2, 'meta', $3, 'history.csv', repeat('0', 64), 'COMMIT', 'completed', 0) returning id::text`,
      [world.workspaceId, clientId, member.rows[0]!.id],
    );
    await sql.query(
      `insert into public.campaigns (workspace_id, client_id, platform, external_id, name)
       select $1, $2, 'meta', 'hc' || n, 'History campaign ' || n from generate_series(0, $3 - 1) n`,
      [world.workspaceId, clientId, ADS_PER_CLIENT / 100],
    );
    await sql.query(
      `insert into public.ad_sets (workspace_id, client_id, platform, external_id, name, campaign_id)
       select $1, $2, 'meta', 'hs' || n, 'History ad set ' || n, c.id
       from generate_series(0, $3 - 1) n
       join public.campaigns c on c.workspace_id = $1 and c.client_id = $2 and c.platform = 'meta' and c.external_id = 'hc' || (n / 10)`,
      [world.workspaceId, clientId, ADS_PER_CLIENT / 10],
    );
    await sql.query(
      `insert into public.ads (workspace_id, client_id, platform, external_id, name, ad_set_id)
       select $1, $2, 'meta', 'ha' || n, 'History ad ' || n, s.id
       from generate_series(0, $3 - 1) n
       join public.ad_sets s on s.workspace_id = $1 and s.client_id = $2 and s.platform = 'meta' and s.external_id = 'hs' || (n / 10)`,
      [world.workspaceId, clientId, ADS_PER_CLIENT],
    );
    const take = Math.min(perClient, rows - written);
    // Valid by construction (every id comes from the dimension tables just written), so the bulk
    // load skips the per-row foreign-key triggers; the measured uploads afterwards run every check.
    await sql.query('begin');
    await sql.query('set local session_replication_role = replica');
    // In the natural key's order and with ascending ids, so both unique indexes grow at their right
    // edge (random order is several times slower to load and changes nothing the bench measures).
    const r = await sql.query(
      `insert into public.daily_metrics (id, workspace_id, client_id, platform, date, campaign_id, ad_set_id, ad_id,
                                         impressions, clicks, spend, conversions, conversion_value, upload_id)
       select (lpad(to_hex($6::bigint + row_number() over ()), 8, '0') || '-0000-4000-8000-000000000000')::uuid,
              $1, $2, 'meta', g.date, g.campaign_id, g.ad_set_id, g.ad_id,
              (g.d * 7919 + g.k * 104729) % 40000, (g.d * 31 + g.k) % 400, ((g.d * 7919 + g.k * 131) % 900000) / 100.0,
              (g.d + g.k) % 6, ((g.d * 13 + g.k * 7) % 50000) / 100.0, $3
       from (select d, date '2025-08-31' - d as date, s.campaign_id, a.ad_set_id, a.id as ad_id, a.k
             from generate_series(0, $4 - 1) d
             cross join (select a.id, a.ad_set_id, row_number() over (order by a.external_id) as k
                         from public.ads a where a.client_id = $2) a
             join public.ad_sets s on s.id = a.ad_set_id
             order by 2, 3, 4, 5
             limit $5) g`,
      [world.workspaceId, clientId, upload.rows[0]!.id, days, take, c * perClient],
    );
    await sql.query('commit');
    written += r.rowCount ?? 0;
    say(
      `  history: ${written.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  }
  await sql.query('analyze public.daily_metrics, public.campaigns, public.ad_sets, public.ads');
  const size = await sql.query<{ bytes: string }>(`select pg_total_relation_size('public.daily_metrics')::text bytes`);
  return { rows: written, clients: HISTORY_CLIENTS, ms: Math.round(performance.now() - t0), tableBytes: Number(size.rows[0]!.bytes) };
}

export interface PlanCheck {
  /** The plan chosen for the app's own statement uses the natural-key index daily_metrics_grain. */
  usesNaturalKey: boolean;
  /** How many of the statement's plans were checked (one per call). */
  plans: number;
  /** The plan's lines naming how daily_metrics is reached (arbiter index, index scans, any seq scan). */
  lines: string[];
}

export interface ScaleFigures {
  history: HistoryFigures;
  emptyRowsPerSecond: number;
  scaleMs: number;
  scaleRowsPerSecond: number;
  /** emptyRowsPerSecond / scaleRowsPerSecond (target: at most 1.5). */
  ratio: number;
  stageMs: Record<string, number>;
  plans: { factsUpsert: PlanCheck; dryRunComparison: PlanCheck };
}

/** Every auto_explain entry of the log whose query text contains `marker`, reduced to how daily_metrics is read. */
function planCheck(log: string, marker: string, good: RegExp): PlanCheck {
  // An entry is a statement's own plan when its query text (not the CONTEXT of a nested one) holds the marker.
  const entries = log
    .split(/LOG:\s+duration:/)
    .map((e) => e.split('CONTEXT:')[0] ?? '')
    .filter((e) => e.includes(marker));
  const lines = [
    ...new Set(
      entries.flatMap((e) =>
        e
          .split('\n')
          .filter((l) => /daily_metrics/.test(l) && /Scan|Arbiter|Insert on/.test(l))
          .map((l) => l.trim()),
      ),
    ),
  ];
  const seq = lines.some((l) => /Seq Scan on daily_metrics/.test(l));
  return { usesNaturalKey: entries.length > 0 && entries.every((e) => good.test(e)) && !seq, plans: entries.length, lines };
}

/**
 * A 2,000-row commit and then a dry run of the same file, through a second test gateway whose
 * database sessions load auto_explain: the plans the database chose for write_facts' own statements.
 */
async function explainFacts(world: BenchWorld, logText: () => string, clearLog: () => void): Promise<ScaleFigures['plans']> {
  const dir = mkdtempSync(join(tmpdir(), 'metricdrop-bench-explain-'));
  const sql = world.sql;
  const settings = [
    `session_preload_libraries = 'auto_explain'`,
    'auto_explain.log_min_duration = 0',
    'auto_explain.log_nested_statements = on',
  ];
  for (const s of settings) await sql.query(`alter database metricdrop set ${s}`);
  const gateway = await startGateway({
    databaseUrl: world.databaseUrl,
    jwtSecret: world.gateway.jwtSecret,
    anonKey: world.gateway.anonKey,
  });
  const home = join(dir, 'home');
  const db = openStore(storeFile(home));
  try {
    const file = join(dir, 'meta-2000.csv');
    await makeMetaExport(file, 2_000);
    await world.newClient('Bench Explain Co');
    const engine = createEngine({ db, clock: systemClock, logger: silentLogger, home });
    await engine.uploads.signIn({ url: gateway.url, anonKey: gateway.anonKey, email: world.member.email, password: world.member.password });
    const v = await engine.validateFile(file);
    clearLog();
    const up = await engine.uploads.upload(v.validationId, { clientRef: 'Bench Explain Co' });
    if (up.error) throw new Error(`explain upload failed: ${JSON.stringify(up.error)}`);
    const commitLog = logText();
    clearLog();
    const dry = await engine.uploads.dryRun(v.validationId, { clientRef: 'Bench Explain Co' }, {}, { keep: false });
    if (dry.error) throw new Error(`explain dry run failed: ${JSON.stringify(dry.error)}`);
    const dryLog = logText();
    return {
      factsUpsert: planCheck(commitLog, 'insert into public.daily_metrics as d', /Conflict Arbiter Indexes: daily_metrics_grain/),
      dryRunComparison: planCheck(dryLog, 'from public.daily_metrics d', /Index (Only )?Scan using daily_metrics_grain on daily_metrics/),
    };
  } finally {
    db.close();
    await gateway.close();
    await sql.query('alter database metricdrop reset all');
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScale(
  world: BenchWorld,
  file: string,
  empty: TimedUpload,
  historyRows: number,
  log: { text: () => string; clear: () => void },
  say: (line: string) => void,
): Promise<ScaleFigures> {
  const history = await fillHistory(world, historyRows, say);
  await world.newClient('Bench Scale Co');
  const up = await timedUpload(world, file, { clientName: 'Bench Scale Co' });
  const plans = await explainFacts(world, log.text, log.clear);
  return {
    history,
    emptyRowsPerSecond: empty.rowsPerSecond,
    scaleMs: up.ms,
    scaleRowsPerSecond: up.rowsPerSecond,
    ratio: Number((empty.rowsPerSecond / up.rowsPerSecond).toFixed(2)),
    stageMs: up.stageMs,
    plans,
  };
}
