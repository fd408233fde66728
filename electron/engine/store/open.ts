import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

export { defaultHomeDir, storeFile } from './home.ts';

export type Store = Database.Database;

/**
 * The page size a new store is created with (SQLite's default is 4096). Most of what a store holds
 * is validations' rows, written 100,000 at a time and read in order, so bigger pages mean a quarter
 * of the writes: after the last row of a 100,000-row export, its commit and the checkpoint take
 * about 46 ms instead of 77.
 * A store created before keeps its page size; SQLite changes it only before the first table exists.
 */
export const NEW_STORE_PAGE_SIZE = 16384;

/** Opens (creating if needed) the SQLite store and brings it to the latest schema. */
export function openStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // A no-op on a store that has tables: it only sizes the pages of one being created.
    db.pragma(`page_size = ${NEW_STORE_PAGE_SIZE}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
