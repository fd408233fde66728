import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMetaExport } from '../../bench/make-meta-export.ts';
import { createEngine, silentLogger, systemClock } from '../../electron/engine/index.ts';
import { openStore, storeFile } from '../../electron/engine/store/open.ts';
import type { FaultRequest } from '../gateway/faults.ts';
import { factRows, newClient, signInArgs, startWorld, type UploadWorld } from './env.ts';

/**
 * kill -9 of the uploading `metricdrop` process at many points, then `metricdrop resume`: the
 * database must end identical to one clean upload: nothing written twice, nothing lost.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'metricdrop.mjs');
const ROWS = 3_500; // two packed stage batches (96 KiB each at most), four fact batches (1,000 rows each)

let world: UploadWorld;
let exportPath: string;
let reference: string[] = [];

async function signedInHome(): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'metricdrop-crash-'));
  const db = openStore(storeFile(home));
  try {
    await createEngine({ db, clock: systemClock, logger: silentLogger, home }).uploads.signIn(signInArgs(world));
  } finally {
    db.close();
  }
  return home;
}

function cli(
  home: string,
  args: string[],
): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, '--home', home, ...args], {
    cwd: ROOT,
    env: { ...process.env, METRICDROP_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

interface KillPoint {
  name: string;
  fn: string;
  when?: (body: Record<string, unknown>) => boolean;
  /** before: the request never reaches SQL; after: it commits while the client is already dead. */
  moment: 'before' | 'after';
}

const KILL_POINTS: KillPoint[] = [
  { name: 'begin, before it reaches the database', fn: 'begin_upload', moment: 'before' },
  { name: 'begin, committed but not acknowledged', fn: 'begin_upload', moment: 'after' },
  { name: 'inside staging: batch 0 committed, not acknowledged', fn: 'stage_batch', when: (b) => b.p_batch_no === 0, moment: 'after' },
  { name: 'inside staging: batch 1 never sent to SQL', fn: 'stage_batch', when: (b) => b.p_batch_no === 1, moment: 'before' },
  {
    name: 'between dimension types: campaigns committed',
    fn: 'resolve_dimensions',
    when: (b) => b.p_entity_type === 'campaign',
    moment: 'after',
  },
  { name: 'before ad sets', fn: 'resolve_dimensions', when: (b) => b.p_entity_type === 'ad_set', moment: 'before' },
  { name: 'ads committed, not acknowledged', fn: 'resolve_dimensions', when: (b) => b.p_entity_type === 'ad', moment: 'after' },
  { name: 'inside facts: batch 0 committed, not acknowledged', fn: 'write_facts', when: (b) => b.p_batch_no === 0, moment: 'after' },
  { name: 'inside facts: batch 2 never sent to SQL', fn: 'write_facts', when: (b) => b.p_batch_no === 2, moment: 'before' },
  { name: 'inside facts: last batch committed, not acknowledged', fn: 'write_facts', when: (b) => b.p_batch_no === 3, moment: 'after' },
  { name: 'finish, before it reaches the database', fn: 'finish_upload', moment: 'before' },
  { name: 'finish committed, not acknowledged', fn: 'finish_upload', moment: 'after' },
];

beforeAll(async () => {
  world = await startWorld();
  exportPath = join(mkdtempSync(join(tmpdir(), 'metricdrop-export-')), 'meta-ad-daily.csv');
  await makeMetaExport(exportPath, ROWS);
  const clientId = await newClient(world, 'Clean Upload Co');
  const home = await signedInHome();
  const clean = cli(home, ['upload', exportPath, '--client', 'Clean Upload Co', '--json']);
  const r = await clean.done;
  expect(r.code, r.stderr).toBe(0);
  reference = await factRows(world, clientId);
  expect(reference).toHaveLength(ROWS);
}, 120_000);
afterAll(async () => {
  await world?.close();
});

describe('kill -9 of the uploading process, then resume', () => {
  it.each(KILL_POINTS)('$name', async (point) => {
    const clientName = `Crash Co ${KILL_POINTS.indexOf(point)}`;
    const clientId = await newClient(world, clientName);
    const home = await signedInHome();
    const run = cli(home, ['upload', exportPath, '--client', clientName, '--json']);
    let killed = false;
    const match = (req: FaultRequest) => {
      if (killed || req.path !== `/rest/v1/rpc/${point.fn}`) return false;
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.p_client_id !== undefined && body.p_client_id !== clientId) return false;
      if (point.when && !point.when(body)) return false;
      killed = true;
      run.child.kill('SIGKILL');
      return true;
    };
    const fault =
      point.moment === 'before'
        ? world.gateway.faults.add({ match, kind: 'status-503-before-sql', times: 1 })
        : world.gateway.faults.add({ match, kind: 'delay', ms: 250, times: 1 });
    const crashed = await run.done;
    fault.remove();
    expect(killed).toBe(true);
    expect(crashed.signal).toBe('SIGKILL');
    // A request let through after the kill commits while nobody listens: wait for it to end.
    await world.gateway.idle();

    const resumed = await cli(home, ['resume', '--json']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const doc = JSON.parse(resumed.stdout) as { resumed: Array<{ status: string; error: unknown }> };
    expect(doc.resumed).toHaveLength(1);
    expect(doc.resumed[0]).toMatchObject({ status: 'completed', error: null });
    expect(await factRows(world, clientId)).toEqual(reference);
    const again = await cli(home, ['resume', '--json']).done;
    expect(JSON.parse(again.stdout)).toEqual({ resumed: [] });
  });
});

/** Polls the data folder's store until the uploading process has recorded its intent (before reading the file). */
async function intentRecorded(home: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  const db = new Database(storeFile(home), { readonly: true, fileMustExist: true });
  try {
    while (Date.now() < deadline) {
      if ((db.prepare('select count(*) as n from upload_intents').get() as { n: number }).n > 0) return;
      await new Promise((r) => setTimeout(r, 1));
    }
    throw new Error('the upload never recorded its intent');
  } finally {
    db.close();
  }
}

async function serverUploads(clientId: string): Promise<number> {
  const r = await world.sql.query<{ n: string }>('select count(*)::text as n from public.data_uploads where client_id = $1', [clientId]);
  return Number(r.rows[0]!.n);
}

/** A copy of the export for one test, so changing it touches nothing else. */
function ownCopy(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'metricdrop-export-')), 'meta-ad-daily.csv');
  copyFileSync(exportPath, path);
  return path;
}

type Kill = 'while reading' | 'after reading, at the client list';

/** Starts `metricdrop upload` and kills it with SIGKILL before the server has heard of the upload. */
async function uploadKilledEarly(kill: Kill, file: string, clientName: string): Promise<{ home: string; clientId: string }> {
  const clientId = await newClient(world, clientName);
  const home = await signedInHome();
  const run = cli(home, ['upload', file, '--client', clientName, '--json']);
  let fault: { remove(): void } | null = null;
  if (kill === 'while reading') {
    await intentRecorded(home);
    run.child.kill('SIGKILL');
  } else {
    let killed = false;
    fault = world.gateway.faults.add({
      match: (req: FaultRequest) => {
        if (killed || !req.path.startsWith('/rest/v1/workspace_members')) return false;
        killed = true;
        run.child.kill('SIGKILL');
        return true;
      },
      kind: 'status-503-before-sql',
      times: 1,
    });
  }
  const crashed = await run.done;
  fault?.remove();
  expect(crashed.signal).toBe('SIGKILL');
  await world.gateway.idle();
  expect(await serverUploads(clientId)).toBe(0);
  return { home, clientId };
}

describe('kill -9 before the server heard of the upload: the intent was recorded first', () => {
  it.each<Kill>(['while reading', 'after reading, at the client list'])('%s: resume reads the file again and finishes it', async (kill) => {
    const { home, clientId } = await uploadKilledEarly(kill, exportPath, `Early Crash Co ${kill}`);
    const history = await cli(home, ['history', '--json']).done;
    expect(history.stdout).toMatch(/"upload-asked"/);

    const resumed = await cli(home, ['resume', '--json']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    const doc = JSON.parse(resumed.stdout) as { resumed: Array<{ status: string; error: unknown }> };
    expect(doc.resumed).toHaveLength(1);
    expect(doc.resumed[0]).toMatchObject({ status: 'completed', error: null });
    expect(await factRows(world, clientId)).toEqual(reference);
    expect(JSON.parse((await cli(home, ['resume', '--json']).done).stdout)).toEqual({ resumed: [] });
  });

  it('the server failing before it heard of the upload: the upload says nothing was sent yet, and resume finishes it', async () => {
    const clientId = await newClient(world, 'Server Down Co');
    const home = await signedInHome();
    const fault = world.gateway.faults.add({ match: /^\/rest\/v1\/workspace_members/, kind: 'status-503-before-sql', times: 1 });
    const failed = await cli(home, ['upload', exportPath, '--client', 'Server Down Co']).done;
    fault.remove();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Nothing was sent yet: run "metricdrop resume" to read the file again and upload it\./);
    expect(await serverUploads(clientId)).toBe(0);
    const resumed = await cli(home, ['resume', '--json']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).resumed).toEqual([expect.objectContaining({ status: 'completed', error: null })]);
    expect(await factRows(world, clientId)).toEqual(reference);
  });

  it('the file changed after a kill while reading: resume says it must be uploaded again and why, and sends nothing', async () => {
    const file = ownCopy();
    const { home, clientId } = await uploadKilledEarly('while reading', file, 'Changed File Co');
    writeFileSync(file, `${readFileSync(file, 'utf8')}2025-09-30,Late row,1,1,1,1\n`);
    const resumed = await cli(home, ['resume']).done;
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(
      /FILE_CHANGED[\s\S]*stopped before anything was sent, and the file has changed since \([\d,]+ bytes then, [\d,]+ now\)\. Upload it again/,
    );
    expect(await serverUploads(clientId)).toBe(0);
    const again = await cli(home, ['resume', '--json']).done;
    expect([again.code, JSON.parse(again.stdout)]).toEqual([0, { resumed: [] }]);
    expect((await cli(home, ['history', '--json']).done).stdout).toMatch(/"upload-abandoned"/);
  });

  it('the file gone, or read and then changed within the same size: each is said plainly, nothing is sent', async () => {
    const gone = ownCopy();
    const first = await uploadKilledEarly('while reading', gone, 'Gone File Co');
    rmSync(gone);
    const r1 = await cli(first.home, ['resume', '--json']).done;
    expect(r1.code).toBe(2);
    expect(JSON.parse(r1.stdout).resumed[0].error).toMatchObject({
      code: 'FILE_CHANGED',
      message: expect.stringMatching(/there is no file at .* any more\. Upload the file again\./),
    });

    const edited = ownCopy();
    const second = await uploadKilledEarly('after reading, at the client list', edited, 'Edited File Co');
    const text = readFileSync(edited, 'utf8');
    const at = text.lastIndexOf(',1');
    writeFileSync(edited, `${text.slice(0, at)},2${text.slice(at + 2)}`);
    const r2 = await cli(second.home, ['resume', '--json']).done;
    expect(r2.code).toBe(2);
    expect(JSON.parse(r2.stdout).resumed[0].error).toMatchObject({
      code: 'FILE_CHANGED',
      message: expect.stringMatching(/is not what was read then \(its SHA-256 differs\)/),
    });
    expect((await serverUploads(first.clientId)) + (await serverUploads(second.clientId))).toBe(0);
  });
});
