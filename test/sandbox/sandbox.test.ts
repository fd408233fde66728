import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxInfo } from './seed.ts';
import { migrationFiles } from '../support/postgres.ts';
import { itPassesTheDemoChecks } from './demo-checks.ts';

// `npm run sandbox -- --info FILE` as a person runs it: a separate process with its own PostgreSQL.

const ROOT = resolve(import.meta.dirname, '..', '..');
let dir: string;
let infoFile: string;
let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let info: SandboxInfo;

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metricdrop-sandbox-test-'));
  infoFile = join(dir, 'sandbox.json');
  // Its own process group, so the test can stop it the way Ctrl-C does (signal to the whole group).
  child = spawn('npx', ['tsx', 'test/sandbox/main.ts', '--info', infoFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  // It writes the info file, then says it is ready on stdout: wait for that line.
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('sandbox ready')) resolve();
    });
    void exited.then(({ code }) => reject(new Error(`the sandbox exited early (${code}): ${stderr}`)));
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await ready;
  info = JSON.parse(readFileSync(infoFile, 'utf8')) as SandboxInfo;
}, 120_000);

afterAll(() => {
  if (child?.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A journey: one sandbox is started for the file, its checks run against it, and the last step
// stops it with Ctrl-C, so these keep their written order even in a shuffled run.
describe('npm run sandbox', { shuffle: false }, () => {
  it('writes the JSON of docs/sandbox.md and says on stdout that it is ready', async () => {
    expect(info.supabaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.databaseUrl).toMatch(/^postgres:\/\//);
    expect(typeof info.anonKey).toBe('string');
    // The anon key (never a service-role one) is what the app may be given.
    const claims = JSON.parse(Buffer.from(info.anonKey.split('.')[1] ?? '', 'base64url').toString('utf8')) as { role?: string };
    expect(claims.role).toBe('anon');
    expect(info.workspaces).toHaveLength(2);
    expect(stdout).toContain('sandbox ready');
    expect(stdout).toContain(info.supabaseUrl);
  });

  itPassesTheDemoChecks(() => info);

  it('has every migration applied', async () => {
    const client = new pg.Client({ connectionString: info.databaseUrl });
    await client.connect();
    try {
      const r = await client.query<{ version: string }>('select version from metricdrop_private.schema_versions order by version');
      const files = migrationFiles().map((f) => f.slice(0, 3));
      expect(r.rows.map((x) => x.version)).toEqual(files);
    } finally {
      await client.end();
    }
  });

  it('stops on Ctrl-C: the processes exit and the PostgreSQL data folder is deleted', async () => {
    const client = new pg.Client({ connectionString: info.databaseUrl });
    await client.connect();
    const dataDir = (await client.query<{ data_directory: string }>('show data_directory')).rows[0]?.data_directory ?? '';
    await client.end();
    expect(existsSync(dataDir)).toBe(true);

    const pid = child.pid as number;
    process.kill(-pid, 'SIGINT');
    await exited;
    const deadline = Date.now() + 30_000;
    while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
    expect(groupAlive(pid)).toBe(false);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(dirname(dataDir))).toBe(false);
    const refused = await fetch(`${info.supabaseUrl}/auth/v1/health`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  });
});

describe('npm run sandbox usage', () => {
  it('refuses to start without --info, with the usage and exit code 64', () => {
    const r = spawnSync('npx', ['tsx', 'test/sandbox/main.ts', '--port', '0'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('--info FILE is required');
  });
});
