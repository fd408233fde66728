import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeMetaExport } from '../../bench/make-meta-export.ts';
import { openStore, storeFile } from '../../electron/engine/store/open.ts';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'metricdrop.mjs');

/** Runs `metricdrop validate` and kills it (SIGKILL, as a power cut would) once `when` says so. */
async function validateKilled(file: string, home: string, when: () => boolean): Promise<string | null> {
  const child = spawn(process.execPath, [bin, 'validate', file, '--json', '--home', home], { stdio: 'ignore' });
  const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const watching = setInterval(() => {
    if (when()) child.kill('SIGKILL');
  }, 5);
  try {
    return await exited;
  } finally {
    clearInterval(watching);
  }
}

describe('a validation killed while its rows are being recorded on the recording thread', () => {
  it('leaves nothing of itself in the store, and the file validates in full afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metricdrop-record-crash-'));
    const file = join(dir, 'meta-ad-daily.csv');
    await makeMetaExport(file, 100_000);
    const home = join(dir, 'home');
    const wal = `${storeFile(home)}-wal`;
    // Killed once the thread has written rows: the WAL grows past the 0.2 MB opening the store writes
    // once the transaction's pages no longer fit SQLite's 2 MB page cache; the 100,000 rows take 6.8 MB.
    const signal = await validateKilled(file, home, () => existsSync(wal) && statSync(wal).size > 1024 * 1024);
    expect(signal).toBe('SIGKILL');

    const db = openStore(storeFile(home));
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    expect([count('validations'), count('validated_rows'), count('validation_issues'), count('audit_events')]).toEqual([0, 0, 0, 0]);
    db.close();

    const again = spawn(process.execPath, [bin, 'validate', file, '--json', '--home', home], { stdio: 'ignore' });
    expect(await new Promise((resolve) => again.once('exit', resolve))).toBe(0);
    const after = openStore(storeFile(home));
    expect((after.prepare('select count(*) as n from validated_rows').get() as { n: number }).n).toBe(100_000);
    after.close();
  }, 120_000);
});
