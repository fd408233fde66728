import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEngine, silentLogger, systemClock, type Engine, type ValidationOutcome } from '../../electron/engine/index.ts';
import { openStore, storeFile } from '../../electron/engine/store/open.ts';
import { freshDatabase } from '../support/db.ts';
import { startGateway, type Gateway } from '../gateway/server.ts';
import { seedDemo, type SandboxInfo } from '../sandbox/seed.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** A database with the migrations, the test gateway in front of it and the sandbox's demo tenants. */
export interface UploadWorld {
  databaseUrl: string;
  gateway: Gateway;
  info: SandboxInfo;
  sql: pg.Client;
  close(): Promise<void>;
}

export async function startWorld(opts: { accessTokenTtlSeconds?: number } = {}): Promise<UploadWorld> {
  const db = await freshDatabase();
  const gateway = await startGateway({ databaseUrl: db.url, ...opts });
  const info = await seedDemo(db.url, gateway);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  return {
    databaseUrl: db.url,
    gateway,
    info,
    sql,
    async close() {
      await sql.end();
      await gateway.close();
    },
  };
}

/** One computer: a data folder with its SQLite store and session, and the engine built on it. */
export interface Desk {
  home: string;
  engine: Engine;
  service: Engine['uploads'];
  validate(fixture: string): Promise<{ id: string; result: ValidationOutcome }>;
  close(): void;
}

/** Short retry waits: the tests exercise retries without sleeping for seconds. */
export const FAST_RETRY = { retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 40 } };

export function openDesk(home = mkdtempSync(join(tmpdir(), 'metricdrop-home-')), opts: { fetch?: typeof fetch } = {}): Desk {
  const db = openStore(storeFile(home));
  const engine = createEngine({ db, clock: systemClock, logger: silentLogger, home, rpc: FAST_RETRY, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  return {
    home,
    engine,
    service: engine.uploads,
    async validate(fixture) {
      const result = await engine.validateFile(fixture.startsWith('/') ? fixture : join(FIXTURES, fixture));
      return { id: result.validationId, result };
    },
    close() {
      db.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function factSums(sql: pg.Client, clientId: string) {
  const r = await sql.query<{ n: string; impressions: string; clicks: string; spend: string; conversions: string; conversion_value: string }>(
    `select count(*)::text n, coalesce(sum(impressions),0)::text impressions, coalesce(sum(clicks),0)::text clicks,
            coalesce(sum(spend),0)::text spend, coalesce(sum(conversions),0)::text conversions,
            coalesce(sum(conversion_value),0)::text conversion_value
     from public.daily_metrics where client_id = $1`,
    [clientId],
  );
  return r.rows[0];
}

/** `1234.5600` → `1234.56`: database sums compared with the report's exact decimal strings. */
export function trimDecimal(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}
