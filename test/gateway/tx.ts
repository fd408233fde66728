import pg from 'pg';
import { fromPgError, isPgServerError, RestError } from './errors.ts';

/** What PostgREST sets inside each request's transaction (docs/gateway-contract.md, "One request, one transaction"). */
export interface RequestSettings {
  readOnly: boolean;
  role: string;
  claims: Record<string, unknown>;
  method: string;
  /** The path PostgREST sees, i.e. without `/rest/v1`. */
  path: string;
  headers: Record<string, string>;
  searchPath: string[];
}

export interface TxRunner {
  /**
   * Runs `fn` inside one transaction as `authenticator` switched to the request's role:
   * COMMIT when it returns, ROLLBACK when it throws. PostgreSQL errors become RestErrors.
   */
  run<T>(settings: RequestSettings, fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** A connection outside any request transaction, for catalog lookups. */
  withConnection<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  end(): Promise<void>;
}

/** Settings a role carries with `ALTER ROLE … SET` that PostgREST applies on impersonation. */
const ROLE_SETTINGS_SQL = `
  select split_part(c, '=', 1) as name, substr(c, strpos(c, '=') + 1) as value
  from pg_catalog.pg_db_role_setting s
  join pg_catalog.pg_roles r on r.oid = s.setrole
  cross join lateral unnest(s.setconfig) c
  where r.rolname = $1
    and s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
    and split_part(c, '=', 1) in (select name from pg_catalog.pg_settings where context = 'user')
  order by s.setdatabase`;

export function createTxRunner(connectionString: string): TxRunner {
  const pool = new pg.Pool({ connectionString, max: 16, idleTimeoutMillis: 10_000 });
  // A connection dying while idle (server stopped) must not crash the process.
  pool.on('error', () => undefined);
  const roleSettings = new Map<string, Array<{ name: string; value: string }>>();

  async function settingsOf(client: pg.PoolClient, role: string) {
    let found = roleSettings.get(role);
    if (!found) {
      const r = await client.query<{ name: string; value: string }>(ROLE_SETTINGS_SQL, [role]);
      found = r.rows;
      roleSettings.set(role, found);
    }
    return found;
  }

  return {
    async run(settings, fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        const extra = await settingsOf(client, settings.role);
        await client.query(`begin isolation level read committed, ${settings.readOnly ? 'read only' : 'read write'}`);
        try {
          await applySettings(client, settings, extra);
          const out = await fn(client);
          await client.query('commit');
          return out;
        } catch (err) {
          await client.query('rollback').catch((e: Error) => {
            broken = e;
          });
          throw err;
        }
      } catch (err) {
        if (err instanceof RestError) throw err;
        if (isPgServerError(err)) throw fromPgError(err, settings.role !== 'anon');
        broken = err as Error;
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn(client);
      } finally {
        client.release();
      }
    },
    async end() {
      await pool.end();
    },
  };
}

async function applySettings(
  client: pg.PoolClient,
  s: RequestSettings,
  roleSettings: Array<{ name: string; value: string }>,
): Promise<void> {
  const pairs: Array<[string, string]> = [
    ['search_path', s.searchPath.map((x) => pg.escapeIdentifier(x)).join(', ')],
    ...roleSettings.map((r): [string, string] => [r.name, r.value]),
    ['role', s.role],
    ['request.jwt.claims', JSON.stringify({ ...s.claims, role: s.role })],
    ['request.method', s.method],
    ['request.path', s.path],
    ['request.headers', JSON.stringify(s.headers)],
    ['request.cookies', '{}'],
  ];
  const params: string[] = [];
  const calls = pairs.map(([name, value]) => {
    params.push(name, value);
    return `set_config($${params.length - 1}, $${params.length}, true)`;
  });
  try {
    await client.query(`select ${calls.join(', ')}`, params);
  } catch (err) {
    // A JWT naming a role that does not exist or that authenticator may not become.
    if (isPgServerError(err) && (err.code === '22023' || err.code === '42501')) {
      throw new RestError(401, { code: err.code, message: err.message, details: null, hint: null }, { 'WWW-Authenticate': 'Bearer' });
    }
    throw err;
  }
}
