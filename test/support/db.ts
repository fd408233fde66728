import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import { createDatabaseFrom } from './postgres.ts';

/** A fresh database with every migration applied, cloned from the run's template. */
export async function freshDatabase(): Promise<{ url: string; name: string }> {
  const adminUrl = runAdminUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  await createDatabaseFrom(adminUrl, name, inject('pgTemplate'));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

/** The run's PostgreSQL (test/support/global-setup.ts), which only the `db` project starts. */
function runAdminUrl(): string {
  const url = inject('pgAdminUrl');
  if (!url) throw new Error('This test needs PostgreSQL: list its file in the db project (DB_FOLDERS or DB_FILES in vitest.config.ts).');
  return url;
}

/** Superuser connection string of the run's PostgreSQL for database `name`. */
export function adminUrl(name = 'postgres'): string {
  const u = new URL(runAdminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
