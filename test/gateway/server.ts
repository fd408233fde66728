import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  createRateLimiter,
  createUser,
  ensureAuthSchema,
  handleAuth,
  type CreatedUser,
  type NewUser,
  type SignInRateLimit,
} from './auth.ts';
import { RestError, pgrstError } from './errors.ts';
import { createFaults, type FaultRequest, type Faults } from './faults.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { handleRest } from './rest.ts';
import { JSON_TYPE, type Reply, type RestContext } from './rest-common.ts';
import { createTxRunner } from './tx.ts';

/**
 * The test gateway: the Supabase HTTP subset (GoTrue's password/refresh/user/logout and
 * PostgREST's RPC and table API) over a real PostgreSQL, so the unmodified supabase-js client
 * runs against it. A test harness, not Supabase.
 */

export interface GatewayOptions {
  /** Superuser connection string of a database with the Supabase bootstrap applied. */
  databaseUrl: string;
  /** HS256 secret (≥ 32 chars); random by default. */
  jwtSecret?: string;
  /** The publishable key clients send as `apikey`; an anon-role JWT by default. */
  anonKey?: string;
  /** Lifetime of minted access tokens (`expires_in`); default 3600. ≤ 90 makes supabase-js refresh before every call. */
  accessTokenTtlSeconds?: number;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Password of the `authenticator` role (the bootstrap's is 'authenticator'). */
  authenticatorPassword?: string;
  /** Schemas served under /rest/v1 (default ['public']). */
  schemas?: string[];
  /** Clock in seconds, for tests of expiry. */
  nowSeconds?: () => number;
  /**
   * GoTrue's refresh-token reuse interval (`security_refresh_token_reuse_interval`, 10 s on
   * Supabase): how long after its rotation a refresh token that is not the current token's parent
   * may still be used.
   */
  refreshTokenReuseIntervalSeconds?: number;
  /**
   * GoTrue's per-IP limit on password sign-ins (Supabase: 30 per 5 minutes, as a token bucket).
   * Off by default so tests may sign in freely; on, the 31st quick sign-in answers 429
   * `over_request_rate_limit`.
   */
  signInRateLimit?: SignInRateLimit | null;
  /**
   * PostgREST's `db-max-rows` (Supabase's `max_rows`, 1,000 on hosted projects and in
   * supabase/config.toml): no read answers more rows than this, silently. `null` for no cap.
   */
  maxRows?: number | null;
  /**
   * PostgREST's `client-error-verbosity`: `verbose` (the default) answers `{code, details, hint,
   * message}`; `minimal` answers `{code, message}` only, dropping `details` and `hint`.
   */
  clientErrorVerbosity?: ClientErrorVerbosity;
  log?: (line: string) => void;
}

export type ClientErrorVerbosity = 'verbose' | 'minimal';

/** PostgREST's default on hosted Supabase projects (`max_rows` in supabase/config.toml). */
export const DEFAULT_MAX_ROWS = 1000;

export interface Gateway {
  /** Base URL to give `createClient`, e.g. `http://127.0.0.1:54321`. */
  url: string;
  anonKey: string;
  /** A service_role JWT (bypasses RLS). Never for the app. */
  serviceKey: string;
  jwtSecret: string;
  faults: Faults;
  /**
   * Resolves once no request is being handled: a request whose client died (killed, aborted) has
   * then committed or rolled back. Tests await it instead of sleeping.
   */
  idle(): Promise<void>;
  /** Adds a confirmed user to auth.users with a password the gateway verifies. */
  createUser(user: NewUser): Promise<CreatedUser>;
  close(): Promise<void>;
}

const TEN_YEARS = 10 * 365 * 24 * 3600;

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const nowSeconds = opts.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const jwtSecret = opts.jwtSecret ?? randomBytes(24).toString('hex');
  if (jwtSecret.length < 32) throw new Error('jwtSecret must be at least 32 characters (PostgREST refuses shorter ones)');
  const iat = nowSeconds();
  const anonKey = opts.anonKey ?? signJwt({ iss: 'test-gateway', role: 'anon', iat, exp: iat + TEN_YEARS }, jwtSecret);
  const serviceKey = signJwt({ iss: 'test-gateway', role: 'service_role', iat, exp: iat + TEN_YEARS }, jwtSecret);
  const schemas = opts.schemas ?? ['public'];
  const log = opts.log ?? (() => undefined);

  const admin = new pg.Pool({ connectionString: opts.databaseUrl, max: 4, idleTimeoutMillis: 10_000 });
  admin.on('error', () => undefined);
  const authenticatorUrl = new URL(opts.databaseUrl);
  authenticatorUrl.username = 'authenticator';
  authenticatorUrl.password = opts.authenticatorPassword ?? 'authenticator';
  const tx = createTxRunner(authenticatorUrl.toString());
  try {
    await ensureAuthSchema(admin);
  } catch (err) {
    await Promise.allSettled([admin.end(), tx.end()]);
    throw err;
  }

  const faults = createFaults();
  const signInAllowed = opts.signInRateLimit ? createRateLimiter(opts.signInRateLimit, nowSeconds) : null;
  const maxRows = opts.maxRows === undefined ? DEFAULT_MAX_ROWS : opts.maxRows;
  if (maxRows !== null && !(Number.isInteger(maxRows) && maxRows > 0)) throw new Error('maxRows must be a positive integer or null');
  const verbosity: ClientErrorVerbosity = opts.clientErrorVerbosity ?? 'verbose';
  const rest: RestContext = { tx, schemas, maxRows };
  const errorReply = (err: RestError): Reply => restErrorReply(err, verbosity);
  let baseUrl = '';

  /** Bearer → role and claims, as PostgREST decides them (docs/gateway-contract.md, "Every request"). */
  function identify(headers: Record<string, string>): { role: string; claims: Record<string, unknown> } {
    const m = /^bearer\s+(\S+)$/i.exec((headers['authorization'] ?? '').trim());
    if (!m) return { role: 'anon', claims: {} };
    const token = m[1] as string;
    if (token === anonKey && token.split('.').length !== 3) return { role: 'anon', claims: {} };
    const check = verifyJwt(token, jwtSecret, nowSeconds());
    if (!check.ok) {
      const code = check.reason === 'expired' || check.reason === 'not_yet_valid' ? 'PGRST303' : 'PGRST301';
      const message = check.reason === 'signature' ? 'JWSError JWSInvalidSignature' : check.message;
      throw new RestError(
        401,
        { code, message, details: null, hint: null },
        {
          'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"`,
        },
      );
    }
    const role = typeof check.claims.role === 'string' && check.claims.role !== '' ? check.claims.role : 'anon';
    return { role, claims: check.claims };
  }

  async function route(method: string, url: URL, headers: Record<string, string>, body: Buffer, ip: string): Promise<Reply> {
    if (url.pathname.startsWith('/auth/v1/')) {
      return await handleAuth(
        {
          db: admin,
          jwtSecret,
          accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 3600,
          refreshTokenReuseIntervalSeconds: opts.refreshTokenReuseIntervalSeconds ?? 10,
          issuer: `${baseUrl}/auth/v1`,
          nowSeconds,
          signInAllowed,
        },
        { method, path: url.pathname.slice('/auth/v1'.length), query: url.searchParams, headers, rawBody: body, ip },
      );
    }
    const isRead = method === 'GET' || method === 'HEAD';
    const profile = headers[isRead ? 'accept-profile' : 'content-profile'];
    if (profile !== undefined && !schemas.includes(profile)) {
      throw pgrstError(406, 'PGRST106', `The schema must be one of the following: ${schemas.join(', ')}`);
    }
    const { role, claims } = identify(headers);
    const restHeaders = { ...headers };
    delete restHeaders['cookie'];
    return await handleRest(rest, {
      method,
      path: url.pathname.slice('/rest/v1'.length) || '/',
      query: url.searchParams,
      headers: restHeaders,
      rawBody: body,
      role,
      claims,
      schema: profile ?? schemas[0] ?? 'public',
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://gateway.invalid');
    const headers = lowerHeaders(req);
    const body = await readBody(req);
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': headers['access-control-request-headers'] ?? '*',
        'Access-Control-Max-Age': '3600',
      });
      res.end();
      return;
    }
    const isAuth = url.pathname.startsWith('/auth/v1/');
    const isRest = url.pathname === '/rest/v1' || url.pathname.startsWith('/rest/v1/');
    if (!isAuth && !isRest) return send(res, kong(404, 'no Route matched with those values'));
    // Kong's key-auth runs before GoTrue or PostgREST see anything.
    const apikey = headers['apikey'] ?? url.searchParams.get('apikey') ?? undefined;
    if (apikey === undefined || apikey === '') return send(res, kong(401, 'No API key found in request'));
    if (apikey !== anonKey && apikey !== serviceKey) return send(res, kong(401, 'Invalid API key'));

    let parsed: { value: unknown } | undefined;
    const faultRequest: FaultRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      // Parsed only when a predicate looks at it: stage batches are large.
      get body() {
        parsed ??= { value: parseMaybeJson(body) };
        return parsed.value;
      },
    };
    const applied = faults.take(faultRequest);
    let drop = false;
    for (const f of applied) {
      if (f.kind === 'delay') await sleep(f.ms ?? 0);
      else if (f.kind === 'drop-after-commit') drop = true;
      else if (f.kind === 'status-503-before-sql') {
        return send(
          res,
          isAuth
            ? {
                status: 503,
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ code: 'unexpected_failure', message: 'Service Unavailable (injected by the test gateway)' }),
              }
            : errorReply(pgrstError(503, 'PGRST001', 'Database client error. Retrying the connection.', 'injected by the test gateway')),
        );
      }
    }

    let reply: Reply;
    try {
      reply = await route(method, url, headers, body, req.socket.remoteAddress ?? '');
    } catch (err) {
      if (err instanceof RestError) reply = errorReply(err);
      else {
        log(`test gateway: ${method} ${url.pathname} failed: ${(err as Error).stack ?? String(err)}`);
        const connection = /ECONNREFUSED|ECONNRESET|terminat|Connection/i.test(String((err as Error).message));
        reply = isAuth
          ? {
              status: 500,
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify({ code: 'unexpected_failure', message: (err as Error).message }),
            }
          : errorReply(
              connection
                ? pgrstError(503, 'PGRST000', 'Database connection error. Retrying the connection.', (err as Error).message)
                : pgrstError(500, 'PGRST000', (err as Error).message),
            );
      }
    }
    if (drop) {
      // The transaction has committed (or rolled back); the client never hears about it.
      req.socket.destroy();
      return;
    }
    send(res, method === 'HEAD' ? { ...reply, body: null } : reply);
  }

  let inFlight = 0;
  const idleWaiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    inFlight += 1;
    handle(req, res)
      .catch((err: unknown) => {
        log(`test gateway: ${String(err)}`);
        if (!res.headersSent) send(res, errorReply(pgrstError(500, 'PGRST000', String(err))));
        else res.destroy();
      })
      .finally(() => {
        inFlight -= 1;
        if (inFlight === 0) for (const resolve of idleWaiters.splice(0)) resolve();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | null = null;
  return {
    url: baseUrl,
    anonKey,
    serviceKey,
    jwtSecret,
    faults,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    createUser: (user) => createUser(admin, user),
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await Promise.allSettled([admin.end(), tx.end()]);
      })();
      return closed;
    },
  };
}

function kong(status: number, message: string): Reply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ message }) };
}

/** PostgREST's error answer; `minimal` verbosity keeps only `code` and `message` (PostgREST's ErrorSpec). */
function restErrorReply(err: RestError, verbosity: ClientErrorVerbosity): Reply {
  const { code, details, hint, message } = err.body;
  const body = verbosity === 'minimal' ? { code, message } : { code, details, hint, message };
  return { status: err.status, headers: { 'Content-Type': JSON_TYPE, ...err.headers }, body: JSON.stringify(body) };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body !== null) headers['Content-Length'] = String(Buffer.byteLength(reply.body));
  res.writeHead(reply.status, headers);
  res.end(reply.body ?? undefined);
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseMaybeJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
