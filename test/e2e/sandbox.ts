import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { SandboxInfo } from '../sandbox/seed.ts';
import { ROOT } from './support.ts';

export interface Sandbox {
  info: SandboxInfo;
  db: pg.Client;
  stop(): Promise<void>;
}

/**
 * `npm run sandbox -- --info FILE` as a child process, and a database connection to check rows.
 * One retry when the first start dies early (its output is printed, so a real fault stays visible).
 */
export async function startSandbox(): Promise<Sandbox> {
  try {
    return await startSandboxOnce();
  } catch (err) {
    console.warn(`[metricdrop e2e] the sandbox failed to start once, trying again:\n${(err as Error).message}`);
    return await startSandboxOnce();
  }
}

async function startSandboxOnce(): Promise<Sandbox> {
  const infoFile = join(mkdtempSync(join(tmpdir(), 'md-sandbox-')), 'sandbox.json');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/sandbox/main.ts'), '--info', infoFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !existsSync(infoFile); i++) {
    if (child.exitCode !== null || child.signalCode !== null || i > 1200)
      throw new Error(`the sandbox did not start (exit ${child.exitCode}, signal ${child.signalCode}):\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as SandboxInfo;
  const db = new pg.Client({ connectionString: info.databaseUrl });
  await db.connect();
  return {
    info,
    db,
    async stop() {
      await db.end().catch(() => undefined);
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
