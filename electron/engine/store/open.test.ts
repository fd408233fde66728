import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { NEW_STORE_PAGE_SIZE, openStore } from './open.ts';
import { userVersion } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

const dirs: string[] = [];
const storeIn = () => {
  const dir = mkdtempSync(join(tmpdir(), 'metricdrop-open-'));
  dirs.push(dir);
  return join(dir, 'nested', 'metricdrop.sqlite');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openStore', () => {
  it('creates a new store with the bulk page size, in WAL mode, at the latest schema', () => {
    const file = storeIn();
    const db = openStore(file);
    expect(db.pragma('page_size', { simple: true })).toBe(NEW_STORE_PAGE_SIZE);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(userVersion(db)).toBe(MIGRATIONS.length);
    db.close();
    // Opened again, it is the same store.
    const again = openStore(file);
    expect(again.pragma('page_size', { simple: true })).toBe(NEW_STORE_PAGE_SIZE);
    again.close();
  });

  it('keeps the page size of a store created before, and brings it to the latest schema', () => {
    const file = storeIn();
    mkdirSync(dirname(file), { recursive: true });
    const first = new Database(file);
    first.pragma('page_size = 4096');
    first.pragma('journal_mode = WAL');
    first.exec('create table kept (x)');
    first.prepare('insert into kept values (?)').run('a row from before');
    first.close();

    const db = openStore(file);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    expect(userVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('select x from kept').pluck().all()).toEqual(['a row from before']);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
});
