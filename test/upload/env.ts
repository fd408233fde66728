import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createUploadService, type UploadService, type ValidationSource } from '../../electron/engine/upload/service.ts';
import { FileSessionStorage } from '../../electron/engine/upload/session.ts';
import { UPLOADS_SCHEMA_SQL } from '../../electron/engine/store/uploads.ts';
import { validateExport, type ValidationResult } from '../../electron/engine/validate/index.ts';
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

/** One computer: a data folder with its SQLite store and session, and the engine's upload service. */
export interface Desk {
  home: string;
  db: Database.Database;
  service: UploadService;
  validate(fixture: string): Promise<{ id: string; result: ValidationResult }>;
  close(): void;
}

export function openDesk(home = mkdtempSync(join(tmpdir(), 'metricdrop-home-'))): Desk {
  const db = new Database(join(home, 'store.sqlite'));
  db.exec(UPLOADS_SCHEMA_SQL.replaceAll('create table ', 'create table if not exists ').replaceAll('create index ', 'create index if not exists '));
  const validations = new Map<string, ValidationResult>();
  const source: ValidationSource = {
    getValidation: (id) => {
      const v = validations.get(id);
      return v ? { id, report: v.report } : null;
    },
    validatedRows: (id) => validations.get(id)?.rows ?? [],
  };
  const service = createUploadService({
    db,
    home,
    now: () => new Date(),
    sessionStorage: new FileSessionStorage(join(home, 'session.json')),
    validations: source,
    rpc: { retry: { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 } },
  });
  let n = 0;
  return {
    home,
    db,
    service,
    async validate(fixture) {
      const result = await validateExport(join(FIXTURES, fixture));
      const id = `v${++n}`;
      validations.set(id, result);
      return { id, result };
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
