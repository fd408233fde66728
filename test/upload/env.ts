import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { expect } from 'vitest';
import {
  createEngine,
  silentLogger,
  systemClock,
  type Clock,
  type Engine,
  type EngineDeps,
  type ValidationOutcome,
} from '../../electron/engine/index.ts';
import { openStore, storeFile } from '../../electron/engine/store/open.ts';
import { freshDatabase } from '../support/db.ts';
import { testClient } from '../gateway/harness.ts';
import { startGateway, type Gateway, type GatewayOptions } from '../gateway/server.ts';
import { seedDemo, type DemoUser, type SandboxInfo } from '../sandbox/seed.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/** A database with the migrations, the test gateway in front of it and the sandbox's demo tenants. */
export interface UploadWorld {
  databaseUrl: string;
  gateway: Gateway;
  info: SandboxInfo;
  sql: pg.Client;
  close(): Promise<void>;
}

export async function startWorld(opts: Omit<GatewayOptions, 'databaseUrl'> = {}): Promise<UploadWorld> {
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

/**
 * Short retry waits on the system clock: for tests whose faults meet many calls at once, which no
 * test could step through by hand. A test of one retry passes a manual clock instead
 * (test/support/manual-clock.ts) and the production policy.
 */
export const FAST_RETRY = { retry: { attempts: 8, baseDelayMs: 5, maxDelayMs: 40 } };

export interface DeskOptions {
  fetch?: typeof fetch;
  /** The engine's clock (default the system's); retries wait on it. */
  clock?: Clock;
  /** Retry policy and jitter (default FAST_RETRY). */
  rpc?: EngineDeps['rpc'];
}

export function openDesk(home = mkdtempSync(join(tmpdir(), 'metricdrop-home-')), opts: DeskOptions = {}): Desk {
  const db = openStore(storeFile(home));
  const engine = createEngine({
    db,
    clock: opts.clock ?? systemClock,
    logger: silentLogger,
    home,
    rpc: opts.rpc ?? FAST_RETRY,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
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

/** The sandbox's first workspace (Northwind Media) and its member. */
export function demoWorkspace(world: UploadWorld) {
  return world.info.workspaces[0]!;
}
export function demoMember(world: UploadWorld) {
  return demoWorkspace(world).users.find((u) => u.role === 'member')!;
}

/** What the sign-in form sends for `user` (default: the demo member) to `gateway` (default: the world's). */
export function signInArgs(
  world: UploadWorld,
  user: Pick<DemoUser, 'email' | 'password'> = demoMember(world),
  gateway: Pick<Gateway, 'url' | 'anonKey'> = world.gateway,
) {
  return { url: gateway.url, anonKey: gateway.anonKey, email: user.email, password: user.password };
}

/** A desk (see openDesk) on which `user` (default: the demo member) has signed in. */
export async function signedInDesk(
  world: UploadWorld,
  opts: DeskOptions & { user?: Pick<DemoUser, 'email' | 'password'>; gateway?: Pick<Gateway, 'url' | 'anonKey'> } = {},
): Promise<Desk> {
  const desk = openDesk(undefined, { fetch: opts.fetch, clock: opts.clock, rpc: opts.rpc });
  await desk.service.signIn(signInArgs(world, opts.user, opts.gateway));
  return desk;
}

/** supabase-js with the anon key, signed in as `user`: the app's own access, for calling the ingest functions directly. */
export async function signedInClient(
  world: UploadWorld,
  user: Pick<DemoUser, 'email' | 'password'> = demoMember(world),
): Promise<SupabaseClient> {
  const { supabase } = testClient(world.gateway);
  const { error } = await supabase.auth.signInWithPassword({ email: user.email, password: user.password });
  expect(error).toBeNull();
  return supabase;
}

/** A new client in the demo workspace, written as superuser like an owner would add it. */
export async function newClient(world: UploadWorld, name: string, currency = 'USD'): Promise<string> {
  const r = await world.sql.query<{ id: string }>(
    `insert into public.clients (workspace_id, name, currency) values ($1, $2, $3) returning id::text`,
    [demoWorkspace(world).id, name, currency],
  );
  return r.rows[0]!.id;
}

/** A client's daily_metrics as value lines (external ids and names, not uuids), to compare two uploads exactly. */
export async function factRows(world: UploadWorld, clientId: string): Promise<string[]> {
  const r = await world.sql.query<{ line: string }>(
    `select concat_ws('|', m.date, c.external_id, c.name, s.external_id, s.name, a.external_id, a.name,
                      m.impressions, m.clicks, m.spend, m.conversions, m.conversion_value) line
     from public.daily_metrics m
     join public.campaigns c on c.id = m.campaign_id
     left join public.ad_sets s on s.id = m.ad_set_id
     left join public.ads a on a.id = m.ad_id
     where m.client_id = $1 order by 1`,
    [clientId],
  );
  return r.rows.map((x) => x.line);
}

export async function factSums(sql: pg.Client, clientId: string) {
  const r = await sql.query<{
    n: string;
    impressions: string;
    clicks: string;
    spend: string;
    conversions: string;
    conversion_value: string;
  }>(
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

/** The database's sums of a client (factSums) equal a file's row count and totals, to the last decimal. */
export function expectSumsEqual(
  sums: Awaited<ReturnType<typeof factSums>>,
  rows: number,
  totals: { impressions: string; clicks: string; spend: string; conversions: string; conversionValue: string },
): void {
  expect(sums?.n).toBe(String(rows));
  expect(sums?.impressions).toBe(totals.impressions);
  expect(sums?.clicks).toBe(totals.clicks);
  expect(trimDecimal(sums!.spend)).toBe(trimDecimal(totals.spend));
  expect(trimDecimal(sums!.conversions)).toBe(trimDecimal(totals.conversions));
  expect(trimDecimal(sums!.conversion_value)).toBe(trimDecimal(totals.conversionValue));
}
