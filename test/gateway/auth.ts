import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { signJwt, verifyJwt, type JwtClaims } from './jwt.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Reply } from './rest-common.ts';

/**
 * The GoTrue subset supabase-js needs (docs/gateway-contract.md, "Auth"): password and refresh-token
 * grants, `GET /user`, `POST /logout`. Sessions and rotating refresh tokens live in the
 * gateway's own schema `test_gateway`; users in `auth.users`.
 */

export interface AuthRequest {
  method: string;
  /** Path after `/auth/v1`, e.g. `/token`. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: Buffer;
  /** The caller's address, the key GoTrue's per-IP rate limits count by. */
  ip: string;
}

/**
 * GoTrue's per-IP limit on password sign-ins (a token bucket: `requests` at once, refilled at
 * `requests` per `perSeconds`; Supabase's default is 30 per 5 minutes). Over it: 429
 * `over_request_rate_limit` "Request rate limit reached", before the password is looked at.
 */
export interface SignInRateLimit {
  requests: number;
  perSeconds: number;
}

/** One token bucket per caller address. */
export function createRateLimiter(limit: SignInRateLimit, nowSeconds: () => number): (key: string) => boolean {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (key) => {
    const now = nowSeconds();
    const b = buckets.get(key) ?? { tokens: limit.requests, at: now };
    b.tokens = Math.min(limit.requests, b.tokens + ((now - b.at) * limit.requests) / limit.perSeconds);
    b.at = now;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
}

export interface AuthDeps {
  /** Superuser pool (GoTrue connects as its own admin role). */
  db: pg.Pool;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  /** GoTrue's `GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL` (Supabase: 10 s). */
  refreshTokenReuseIntervalSeconds: number;
  issuer: string;
  nowSeconds(): number;
  /** Takes one sign-in from the caller's bucket; false when it is empty (null: no limit). */
  signInAllowed: ((ip: string) => boolean) | null;
}

export interface NewUser {
  email: string;
  password: string;
  id?: string;
  /** Default true: the address counts as confirmed. */
  emailConfirmed?: boolean;
  appMetadata?: Record<string, unknown>;
  userMetadata?: Record<string, unknown>;
}

export interface CreatedUser {
  id: string;
  email: string;
}

const SCHEMA_SQL = `
  select pg_advisory_xact_lock(hashtext('test_gateway schema'));
  create schema if not exists test_gateway;
  revoke all on schema test_gateway from public;
  create table if not exists test_gateway.sessions (
    id uuid primary key,
    user_id uuid not null references auth.users (id) on delete cascade,
    amr_method text not null,
    amr_at bigint not null,
    created_at timestamptz not null default now()
  );
  create table if not exists test_gateway.refresh_tokens (
    token text primary key,
    session_id uuid not null references test_gateway.sessions (id) on delete cascade,
    user_id uuid not null,
    revoked boolean not null default false,
    parent text,
    created_at timestamptz not null default now()
  );
  -- When the token was issued and when it was revoked, in the gateway's clock (nowSeconds):
  -- GoTrue's reuse interval counts from the revocation (refresh_tokens.updated_at there).
  alter table test_gateway.refresh_tokens add column if not exists issued_at bigint not null default 0;
  alter table test_gateway.refresh_tokens add column if not exists revoked_at bigint;
  create index if not exists refresh_tokens_session on test_gateway.refresh_tokens (session_id);`;

/** Runs `fn` in one transaction on a pooled connection: COMMIT when it returns, ROLLBACK when it throws. */
async function inTransaction<T>(db: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('begin');
    const out = await fn(client);
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Creates the gateway's own tables (not part of the app's migrations). */
export async function ensureAuthSchema(db: pg.Pool): Promise<void> {
  await inTransaction(db, (client) => client.query(SCHEMA_SQL));
}

export async function createUser(db: pg.Pool, user: NewUser): Promise<CreatedUser> {
  const id = user.id ?? randomUUID();
  const hash = await hashPassword(user.password);
  const r = await db.query<{ id: string; email: string }>(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                             raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', lower($2), $3,
             case when $4 then now() end, $5::jsonb, $6::jsonb, now(), now())
     returning id::text, email`,
    [
      id,
      user.email,
      hash,
      user.emailConfirmed ?? true,
      JSON.stringify({ provider: 'email', providers: ['email'], ...user.appMetadata }),
      JSON.stringify(user.userMetadata ?? {}),
    ],
  );
  const row = r.rows[0];
  if (!row) throw new Error('user insert returned nothing');
  return row;
}

interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  is_anonymous: boolean;
}

const USER_COLUMNS = `id::text, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data,
  raw_user_meta_data, last_sign_in_at, created_at, updated_at, is_anonymous`;

function iso(d: Date | null): string | undefined {
  return d ? d.toISOString() : undefined;
}

/** The user object GoTrue sends (`models.User` as JSON). */
function userJson(u: UserRow) {
  return {
    id: u.id,
    aud: u.aud ?? 'authenticated',
    role: u.role ?? 'authenticated',
    email: u.email ?? '',
    email_confirmed_at: iso(u.email_confirmed_at),
    phone: '',
    confirmed_at: iso(u.email_confirmed_at),
    last_sign_in_at: iso(u.last_sign_in_at),
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: [],
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    is_anonymous: u.is_anonymous,
  };
}

/** GoTrue's error answer: the 2024-01-01 shape when the client asked for it, else the legacy one. */
function authError(req: AuthRequest, status: number, code: string, message: string): Reply {
  const version = req.headers['x-supabase-api-version'];
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-sb-error-code': code };
  if (version) {
    headers['X-Supabase-Api-Version'] = '2024-01-01';
    return { status, headers, body: JSON.stringify({ code, message }) };
  }
  return { status, headers, body: JSON.stringify({ code: status, error_code: code, msg: message }) };
}

function json(req: AuthRequest, status: number, body: unknown): Reply {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (req.headers['x-supabase-api-version']) headers['X-Supabase-Api-Version'] = '2024-01-01';
  return { status, headers, body: JSON.stringify(body) };
}

function bodyObject(req: AuthRequest): Record<string, unknown> | null {
  const text = req.rawBody.toString('utf8');
  if (text.trim() === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function handleAuth(deps: AuthDeps, req: AuthRequest): Promise<Reply> {
  if (req.path === '/token' && req.method === 'POST') {
    const body = bodyObject(req);
    if (!body) return authError(req, 400, 'bad_json', 'Could not parse request body as JSON');
    const grant = req.query.get('grant_type');
    if (grant === 'password') return await passwordGrant(deps, req, body);
    if (grant === 'refresh_token') return await refreshGrant(deps, req, body);
    return authError(req, 400, 'unsupported_grant_type', 'unsupported_grant_type');
  }
  if (req.path === '/user' && req.method === 'GET') return await getUser(deps, req);
  if (req.path === '/logout' && req.method === 'POST') return await logout(deps, req);
  if (req.path === '/health' && req.method === 'GET') {
    return json(req, 200, { name: 'test-gateway', description: 'test gateway (GoTrue subset)' });
  }
  return authError(req, 404, 'not_found', 'Not found');
}

async function passwordGrant(deps: AuthDeps, req: AuthRequest, body: Record<string, unknown>): Promise<Reply> {
  if (deps.signInAllowed && !deps.signInAllowed(req.ip)) {
    return authError(req, 429, 'over_request_rate_limit', 'Request rate limit reached');
  }
  const email = typeof body.email === 'string' ? body.email : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (email === '' || password === '') {
    return authError(req, 400, 'validation_failed', 'missing email or phone');
  }
  const r = await deps.db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where lower(email) = lower($1)`, [email]);
  const user = r.rows[0];
  if (!user || !(await verifyPassword(password, user.encrypted_password))) {
    return authError(req, 400, 'invalid_credentials', 'Invalid login credentials');
  }
  if (!user.email_confirmed_at) return authError(req, 400, 'email_not_confirmed', 'Email not confirmed');

  const now = deps.nowSeconds();
  const sessionId = randomUUID();
  const refreshToken = newRefreshToken();
  const signedIn = await inTransaction(deps.db, async (client) => {
    await client.query(`insert into test_gateway.sessions (id, user_id, amr_method, amr_at) values ($1, $2, 'password', $3)`, [
      sessionId,
      user.id,
      now,
    ]);
    await client.query(`insert into test_gateway.refresh_tokens (token, session_id, user_id, issued_at) values ($1, $2, $3, $4)`, [
      refreshToken,
      sessionId,
      user.id,
      now,
    ]);
    const u = await client.query<UserRow>(`update auth.users set last_sign_in_at = now() where id = $1 returning ${USER_COLUMNS}`, [
      user.id,
    ]);
    return u.rows[0] ?? user;
  });
  return json(req, 200, sessionJson(deps, signedIn, sessionId, refreshToken, { method: 'password', timestamp: now }));
}

/**
 * GoTrue's refresh-token grant (supabase/auth `internal/tokens/service.go` RefreshTokenGrant, the
 * refresh-token rows of algorithm version 1), with rotation on:
 * - a live token: revoked, and a new one issued whose parent it is;
 * - a revoked token that is the parent of the session's current token (the client never stored
 *   the answer of its last refresh): the current token is answered again, nothing new is issued;
 * - another revoked token within the reuse interval of its revocation: a new token is issued;
 * - beyond it: every live token of the session is revoked (the session itself stays) and the
 *   answer is 400 `refresh_token_already_used`, committed.
 */
async function refreshGrant(deps: AuthDeps, req: AuthRequest, body: Record<string, unknown>): Promise<Reply> {
  const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
  if (token === '') return authError(req, 400, 'validation_failed', 'Refresh Token is required');
  return await inTransaction(deps.db, async (client) => {
    const r = await client.query<{
      session_id: string;
      user_id: string;
      revoked: boolean;
      revoked_at: string | null;
      amr_method: string;
      amr_at: string;
    }>(
      `select t.session_id::text, t.user_id::text, t.revoked, t.revoked_at::text, s.amr_method, s.amr_at::text
       from test_gateway.refresh_tokens t join test_gateway.sessions s on s.id = t.session_id
       where t.token = $1 for update of t, s`,
      [token],
    );
    const row = r.rows[0];
    if (!row) return authError(req, 400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    const u = await client.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [row.user_id]);
    const user = u.rows[0];
    if (!user) return authError(req, 400, 'user_not_found', 'User not found');
    const now = deps.nowSeconds();
    let issued: string | null = null;
    if (row.revoked) {
      const active = await client.query<{ token: string; parent: string | null }>(
        `select token, parent from test_gateway.refresh_tokens
         where session_id = $1 and not revoked order by issued_at desc, created_at desc limit 1`,
        [row.session_id],
      );
      if (active.rows[0]?.parent === token) {
        issued = active.rows[0].token;
      } else if (now > Number(row.revoked_at ?? 0) + deps.refreshTokenReuseIntervalSeconds) {
        await client.query('update test_gateway.refresh_tokens set revoked = true, revoked_at = $2 where session_id = $1 and not revoked', [
          row.session_id,
          now,
        ]);
        return authError(req, 400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
      }
    }
    if (issued === null) {
      issued = newRefreshToken();
      await client.query('update test_gateway.refresh_tokens set revoked = true, revoked_at = coalesce(revoked_at, $2) where token = $1', [
        token,
        now,
      ]);
      await client.query(
        'insert into test_gateway.refresh_tokens (token, session_id, user_id, parent, issued_at) values ($1, $2, $3, $4, $5)',
        [issued, row.session_id, row.user_id, token, now],
      );
    }
    return json(req, 200, sessionJson(deps, user, row.session_id, issued, { method: row.amr_method, timestamp: Number(row.amr_at) }));
  });
}

function newRefreshToken(): string {
  return randomBytes(24).toString('base64url');
}

function sessionJson(deps: AuthDeps, user: UserRow, sessionId: string, refreshToken: string, amr: { method: string; timestamp: number }) {
  const iat = deps.nowSeconds();
  const exp = iat + deps.accessTokenTtlSeconds;
  const claims: JwtClaims = {
    iss: deps.issuer,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    exp,
    iat,
    email: user.email ?? '',
    phone: '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? 'authenticated',
    aal: 'aal1',
    amr: [amr],
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  };
  return {
    access_token: signJwt(claims, deps.jwtSecret),
    token_type: 'bearer',
    expires_in: deps.accessTokenTtlSeconds,
    expires_at: exp,
    refresh_token: refreshToken,
    user: userJson(user),
  };
}

type Authenticated = { ok: true; claims: JwtClaims; user: UserRow } | { ok: false; reply: Reply };

/** GoTrue's `requireAuthentication` + user and session lookup. */
async function authenticate(deps: AuthDeps, req: AuthRequest): Promise<Authenticated> {
  const header = req.headers['authorization'] ?? '';
  const m = /^bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) return { ok: false, reply: authError(req, 401, 'no_authorization', 'This endpoint requires a Bearer token') };
  const check = verifyJwt(m[1] as string, deps.jwtSecret, deps.nowSeconds(), 0);
  if (!check.ok) {
    return { ok: false, reply: authError(req, 403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${check.message}`) };
  }
  const sub = check.claims.sub;
  if (typeof sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(sub)) {
    return { ok: false, reply: authError(req, 403, 'bad_jwt', 'invalid claim: missing sub claim') };
  }
  const r = await deps.db.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1`, [sub]);
  const user = r.rows[0];
  if (!user) return { ok: false, reply: authError(req, 403, 'user_not_found', 'User from sub claim in JWT does not exist') };
  const sessionId = check.claims.session_id;
  if (typeof sessionId === 'string') {
    const s = await deps.db.query('select 1 from test_gateway.sessions where id = $1', [sessionId]);
    if (s.rowCount === 0) {
      return { ok: false, reply: authError(req, 403, 'session_not_found', 'Session from session_id claim in JWT does not exist') };
    }
  }
  return { ok: true, claims: check.claims, user };
}

async function getUser(deps: AuthDeps, req: AuthRequest): Promise<Reply> {
  const auth = await authenticate(deps, req);
  if (!auth.ok) return auth.reply;
  return json(req, 200, userJson(auth.user));
}

async function logout(deps: AuthDeps, req: AuthRequest): Promise<Reply> {
  const scope = req.query.get('scope') ?? 'global';
  if (!['global', 'local', 'others'].includes(scope)) {
    return authError(req, 400, 'validation_failed', 'Unsupported logout scope');
  }
  const auth = await authenticate(deps, req);
  if (!auth.ok) return auth.reply;
  const sessionId = typeof auth.claims.session_id === 'string' ? auth.claims.session_id : null;
  if (scope === 'global') {
    await deps.db.query('delete from test_gateway.sessions where user_id = $1', [auth.user.id]);
  } else if (scope === 'local' && sessionId) {
    await deps.db.query('delete from test_gateway.sessions where id = $1', [sessionId]);
  } else if (scope === 'others') {
    await deps.db.query('delete from test_gateway.sessions where user_id = $1 and id is distinct from $2', [auth.user.id, sessionId]);
  }
  return { status: 204, headers: {}, body: null };
}
