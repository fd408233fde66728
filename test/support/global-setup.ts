import type { TestProject } from 'vitest/node';
import { applySchema, createDatabaseFrom, startPostgres, type RunningPostgres } from './postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export const TEMPLATE_DB = 'metricdrop_template';

/**
 * One PostgreSQL for the whole run. A template database gets the bootstrap and every migration
 * once; each test file clones it (`test/support/db.ts`) so files never see each other's rows.
 * Its superuser is supabase_admin, as on Supabase, and the migrations run as the non-superuser
 * `postgres` (applySchema), so no test can lean on a superuser named postgres.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server: RunningPostgres = await startPostgres({ user: 'supabase_admin' });
  const stopOnExit = () => void server.stop();
  process.once('SIGINT', stopOnExit);
  process.once('SIGTERM', stopOnExit);
  try {
    await createDatabaseFrom(server.url(), TEMPLATE_DB, 'template1');
    await applySchema(server.url(TEMPLATE_DB));
  } catch (err) {
    await server.stop();
    throw err;
  }
  project.provide('pgAdminUrl', server.url());
  project.provide('pgTemplate', TEMPLATE_DB);
  return async () => {
    await server.stop();
  };
}
