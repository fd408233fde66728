import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type Store = Database.Database;

/** The store file inside a metricdrop home folder. */
export function storeFile(home: string): string {
  return join(home, 'metricdrop.sqlite');
}

/**
 * The per-user data folder when neither `--home` nor `METRICDROP_HOME` is given: Electron's
 * `app.getPath('userData')` for the app name `metricdrop`, so the command line and the desktop app
 * share one store.
 */
export function defaultHomeDir(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir, 'AppData', 'Roaming'), 'metricdrop');
  if (platform === 'darwin') return join(homedir, 'Library', 'Application Support', 'metricdrop');
  return join(env.XDG_CONFIG_HOME || join(homedir, '.config'), 'metricdrop');
}

/** Opens (creating if needed) the SQLite store and brings it to the latest schema. */
export function openStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
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
