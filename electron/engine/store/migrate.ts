import type Database from 'better-sqlite3';

/** One numbered change of the local SQLite schema. `up` runs inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Applies the migrations the database has not had yet, in order, each in its own transaction
 * together with `PRAGMA user_version`, so a crash leaves the store at a whole version. Returns the
 * versions applied. A store written by a newer metricdrop (higher version) is refused.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], target?: number): number[] {
  checkSequence(migrations);
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
  const goal = target ?? latest;
  const current = userVersion(db);
  if (current > latest) {
    throw new Error(
      `The local store is at version ${current}, newer than this metricdrop knows (${latest}). Update metricdrop, or use another --home folder.`,
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current || m.version > goal) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration ${m.name} has version ${m.version}; expected ${i + 1}.`);
  });
}
