import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClient } from '../gateway/harness.ts';
import { startGateway } from '../gateway/server.ts';
import { applySchema, BOOTSTRAP_SQL, MIGRATIONS_DIR, migrationFiles, startPostgres, type RunningPostgres } from './postgres.ts';

/**
 * The real Supabase CLI (the pinned dev dependency, no Docker, no network) pushes
 * supabase/migrations/ as `postgres` to a fresh PostgreSQL with the bootstrap, as it does to a
 * project: `db push`, `db push` again (nothing left to push), then `db advisors` with no finding.
 * The server's superuser is named supabase_admin, as on Supabase, and `postgres` is not a
 * superuser, so nothing here leans on the test superuser being called postgres. Whatever
 * migrations the folder holds are pushed.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const SUPABASE = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'supabase.cmd' : 'supabase');
const run = promisify(execFile);

let server: RunningPostgres;
let work: string;
let dbUrl: string;
let admin: pg.Client;

interface CliRun {
  code: number;
  out: string;
}

/** Runs the Supabase CLI in a scratch project folder (a copy of supabase/config.toml and migrations/). */
async function supabase(args: string[]): Promise<CliRun> {
  try {
    const r = await run(SUPABASE, [...args, '--workdir', work], {
      env: { ...process.env, HOME: work, DO_NOT_TRACK: '1', SUPABASE_TELEMETRY_DISABLED: '1' },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, out: `${r.stdout}\n${r.stderr}` };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: `${e.stdout ?? ''}\n${e.stderr ?? ''}` };
  }
}

/** Every object of the app's schemas with its owner, definition digest and access list. */
async function catalogOf(c: pg.Client): Promise<string[]> {
  const r = await c.query<{ o: string }>(`
    select 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' ' || pg_get_userbyid(c.relowner)
           || ' rls=' || c.relrowsecurity || ' ' || coalesce(c.relacl::text, '') as o
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('public', 'metricdrop_private')
    union all
    select 'fn ' || p.oid::regprocedure::text || ' ' || pg_get_userbyid(p.proowner) || ' ' || md5(p.prosrc)
           || ' definer=' || p.prosecdef || ' ' || coalesce(p.proconfig::text, '') || ' ' || coalesce(p.proacl::text, '')
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname in ('public', 'metricdrop_private')
    union all
    select 'pol ' || c.relname || ' ' || p.polname || ' ' || p.polcmd::text || ' '
           || coalesce(pg_get_expr(p.polqual, p.polrelid), '') || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '')
    from pg_policy p join pg_class c on c.oid = p.polrelid
    union all
    select 'defacl ' || pg_get_userbyid(d.defaclrole) || ' ' || coalesce(n.nspname, '*') || ' ' || d.defaclobjtype::text || ' '
           || coalesce(d.defaclacl::text, '')
    from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
    union all
    select 'ns ' || nspname || ' ' || pg_get_userbyid(nspowner) || ' ' || coalesce(nspacl::text, '')
    from pg_namespace where nspname in ('public', 'metricdrop_private', 'auth', 'extensions')
    order by 1`);
  return r.rows.map((x) => x.o);
}

beforeAll(async () => {
  server = await startPostgres({ user: 'supabase_admin' });
  admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  await admin.query(readFileSync(BOOTSTRAP_SQL, 'utf8'));
  work = mkdtempSync(join(tmpdir(), 'metricdrop-supabase-cli-'));
  mkdirSync(join(work, 'supabase', 'migrations'), { recursive: true });
  cpSync(join(ROOT, 'supabase', 'config.toml'), join(work, 'supabase', 'config.toml'));
  for (const f of migrationFiles()) cpSync(join(MIGRATIONS_DIR, f), join(work, 'supabase', 'migrations', f));
  const u = new URL(server.url());
  u.protocol = 'postgresql:';
  u.username = 'postgres';
  u.password = 'postgres';
  u.search = '?sslmode=disable';
  dbUrl = u.toString();
}, 180_000);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

// A journey: each step begins where the one before it ended (signed in, uploaded, pushed), so its
// tests keep their written order even in a shuffled run (`npm run test:shuffled`).
describe('the real Supabase CLI against the bootstrap', { shuffle: false }, () => {
  it('is the pinned 2.117.0, installed with the project', async () => {
    expect(existsSync(SUPABASE)).toBe(true);
    const v = await supabase(['--version']);
    expect(v.out.trim()).toMatch(/^2\.117\.0\b/);
  });

  it('the server is Supabase-shaped: supabase_admin is the superuser, postgres is not', async () => {
    const r = await admin.query<{ rolname: string; rolsuper: boolean }>(
      `select rolname, rolsuper from pg_roles where rolname in ('supabase_admin', 'postgres') order by 1`,
    );
    expect(r.rows).toEqual([
      { rolname: 'postgres', rolsuper: false },
      { rolname: 'supabase_admin', rolsuper: true },
    ]);
  });

  it('`db push` applies every migration in the folder, in order, as postgres', async () => {
    const push = await supabase(['db', 'push', '--db-url', dbUrl, '--yes']);
    expect(push.code, push.out).toBe(0);
    expect(push.out).toContain('Finished supabase db push.');
    const files = migrationFiles();
    let at = -1;
    for (const f of files) {
      const i = push.out.indexOf(`Applying migration ${f}...`);
      expect(i, `${f} applied after the one before it`).toBeGreaterThan(at);
      at = i;
    }
    const history = await admin.query<{ version: string; name: string }>(
      'select version, name from supabase_migrations.schema_migrations order by version',
    );
    expect(history.rows.map((r) => `${r.version}_${r.name}.sql`)).toEqual(files);
    const recorded = await admin.query<{ v: string }>(
      `select version || '_' || name || '.sql' as v from metricdrop_private.schema_versions order by version`,
    );
    expect(recorded.rows.map((r) => r.v)).toEqual(files);
    const owners = await admin.query<{ owner: string }>(
      `select distinct pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('public', 'metricdrop_private') and c.relkind = 'r'`,
    );
    expect(owners.rows).toEqual([{ owner: 'postgres' }]);
  });

  it('`db push` again has nothing to push', async () => {
    const again = await supabase(['db', 'push', '--db-url', dbUrl, '--yes']);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('Remote database is up to date.');
    expect(again.out).not.toContain('Applying migration');
  });

  it('`db advisors` (security and performance) finds no warning and no error', async () => {
    const advice = await supabase(['db', 'advisors', '--db-url', dbUrl, '--type', 'all', '--level', 'warn', '--fail-on', 'warn']);
    expect(advice.code, advice.out).toBe(0);
    expect(advice.out).toContain('No issues found');
    // At level info the only findings are daily_metrics' foreign keys without an index of their own:
    // deliberate, each such index would cost every fact write (supabase/README.md, performance).
    const info = await supabase(['db', 'advisors', '--db-url', dbUrl, '--type', 'all', '--level', 'info', '--output-format', 'json']);
    const findings = [...info.out.matchAll(/"cache_key": "([^"]+)"/g)].map((m) => m[1]);
    for (const f of findings) expect(f).toMatch(/^unindexed_foreign_keys_public_daily_metrics_/);
  });

  it('the advisors are not vacuous: a table the API can read without row level security is an error they report', async () => {
    const probe = new pg.Client({ connectionString: dbUrl.replace('?sslmode=disable', '') });
    await probe.connect();
    try {
      // Granted explicitly: the migrations' default privileges give a new table to nobody.
      await probe.query('create table public.advisor_probe (id int primary key); grant select on public.advisor_probe to anon');
      const advice = await supabase(['db', 'advisors', '--db-url', dbUrl, '--type', 'security', '--level', 'info', '--fail-on', 'error']);
      expect(advice.code).not.toBe(0);
      expect(advice.out).toMatch(/rls_disabled_in_public|RLS Disabled in Public/i);
      expect(advice.out).toContain('advisor_probe');
    } finally {
      await probe.query('drop table if exists public.advisor_probe');
      await probe.end();
    }
  });

  it('the test harness (applySchema) builds exactly the database `db push` built: same objects, owners, grants, policies', async () => {
    await admin.query('create database harness_built');
    const built = new pg.Client({ connectionString: server.url('harness_built') });
    await built.connect();
    try {
      await applySchema(server.url('harness_built'));
      const pushed = await catalogOf(admin);
      expect(pushed.length).toBeGreaterThan(100);
      expect(await catalogOf(built)).toEqual(pushed);
    } finally {
      await built.end();
    }
  });

  it('the app works on the pushed database: sign in through the test gateway, preflight all green', async () => {
    const gateway = await startGateway({ databaseUrl: server.url() });
    try {
      await gateway.createUser({ email: 'cli.check@northwind-media.test', password: 'pushed by the cli' });
      const { supabase: sb } = testClient(gateway);
      const signIn = await sb.auth.signInWithPassword({ email: 'cli.check@northwind-media.test', password: 'pushed by the cli' });
      expect(signIn.error).toBeNull();
      const { data, error } = await sb.rpc('preflight');
      expect(error).toBeNull();
      const p = data as { ok: boolean; checks: Array<{ name: string; ok: boolean; required: boolean }> };
      expect(p.checks.filter((c) => c.required && !c.ok)).toEqual([]);
      expect(p.ok).toBe(true);
    } finally {
      await gateway.close();
    }
  });
});
