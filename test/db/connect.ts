import pg from 'pg';
import { freshDatabase } from '../support/db.ts';

/**
 * A fresh database for one test file (cloned from the run's template, every migration applied) and
 * a superuser connection to it, the way an administrator seeds a project. The caller ends `db`.
 */
export async function connectFreshDatabase(): Promise<{ db: pg.Client; url: string }> {
  const { url } = await freshDatabase();
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  return { db, url };
}
