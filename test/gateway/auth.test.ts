import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwt } from './jwt.ts';
import { startGateway } from './server.ts';
import { gatewayFixture, raw, testClient, type GatewayFixture } from './harness.ts';

// docs/gateway-contract.md, "Auth", driven by the real supabase-js 2.109 where it can express it.

let fx: GatewayFixture;
const EMAIL = 'ana.lopez@northwind-media.test';
const PASSWORD = 'correct horse battery';
let userId: string;

beforeAll(async () => {
  fx = await gatewayFixture();
  userId = (await fx.gateway.createUser({ email: EMAIL, password: PASSWORD })).id;
});
afterAll(async () => {
  await fx?.gateway.close();
});

function decode(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h as string, 'base64url').toString('utf8')),
    claims: JSON.parse(Buffer.from(p as string, 'base64url').toString('utf8')),
  };
}

describe('password sign-in', () => {
  it('answers a correct password with the six session keys and expires_at = iat + expires_in', async () => {
    const { supabase } = testClient(fx.gateway);
    const { data, error } = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    expect(error).toBeNull();
    const s = data.session;
    expect(s).not.toBeNull();
    expect(s?.token_type).toBe('bearer');
    expect(s?.expires_in).toBe(3600);
    expect(typeof s?.refresh_token).toBe('string');
    expect(s?.user.id).toBe(userId);
    expect(s?.user.email).toBe(EMAIL);
    const { claims } = decode(s?.access_token ?? '');
    expect(s?.expires_at).toBe((claims.iat as number) + 3600);

    const res = await raw(fx.gateway, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: { email: EMAIL, password: PASSWORD, gotrue_meta_security: {} },
      headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json as object).sort()).toEqual(
      ['access_token', 'expires_at', 'expires_in', 'refresh_token', 'token_type', 'user'].sort(),
    );
  });

  it('answers a wrong password with 400 invalid_credentials in the 2024-01-01 shape', async () => {
    const res = await raw(fx.gateway, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: { email: EMAIL, password: 'wrong', gotrue_meta_security: {} },
      headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(res.json).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });

    const { supabase } = testClient(fx.gateway);
    const { data, error } = await supabase.auth.signInWithPassword({ email: EMAIL, password: 'wrong' });
    expect(data.session).toBeNull();
    expect(error?.code).toBe('invalid_credentials');
    expect(error?.status).toBe(400);
    expect(error?.message).toBe('Invalid login credentials');
  });

  it('refuses an unknown email exactly like a wrong password', async () => {
    const { supabase } = testClient(fx.gateway);
    const { error } = await supabase.auth.signInWithPassword({ email: 'nobody@nowhere.test', password: PASSWORD });
    expect(error?.code).toBe('invalid_credentials');
  });

  it('refuses an unconfirmed address with email_not_confirmed', async () => {
    await fx.gateway.createUser({ email: 'unconfirmed@northwind-media.test', password: PASSWORD, emailConfirmed: false });
    const { supabase } = testClient(fx.gateway);
    const { error } = await supabase.auth.signInWithPassword({ email: 'unconfirmed@northwind-media.test', password: PASSWORD });
    expect(error?.code).toBe('email_not_confirmed');
    expect(error?.status).toBe(400);
  });
});

describe('the access token', () => {
  it('is HS256 with the GoTrue claims', async () => {
    const { supabase } = testClient(fx.gateway);
    const { data } = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    const { header, claims } = decode(data.session?.access_token ?? '');
    expect(header.alg).toBe('HS256');
    expect(claims).toMatchObject({
      sub: userId,
      aud: 'authenticated',
      role: 'authenticated',
      iss: `${fx.gateway.url}/auth/v1`,
      email: EMAIL,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: {},
      aal: 'aal1',
      is_anonymous: false,
    });
    for (const k of ['exp', 'iat', 'session_id', 'amr']) expect(claims).toHaveProperty(k);
    expect((claims.amr as Array<{ method: string }>)[0]?.method).toBe('password');
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });
});

describe('refresh', () => {
  it('rotates: a new refresh token for the same session', async () => {
    const { supabase } = testClient(fx.gateway);
    const { data } = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    const first = data.session?.refresh_token ?? '';
    const refreshed = await supabase.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    const second = refreshed.data.session?.refresh_token ?? '';
    expect(second).not.toBe('');
    expect(second).not.toBe(first);
    expect(decode(refreshed.data.session?.access_token ?? '').claims.session_id).toBe(
      decode(data.session?.access_token ?? '').claims.session_id,
    );
  });
});

/**
 * GoTrue's refresh-token reuse rules (supabase/auth internal/tokens/service.go, RefreshTokenGrant),
 * on a clock the test moves: GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL is 10 s on Supabase.
 */
describe('refresh token reuse, as GoTrue', () => {
  let clock = Math.floor(Date.now() / 1000);
  let gw: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gw = await startGateway({ databaseUrl: fx.databaseUrl, nowSeconds: () => clock });
  });
  afterAll(async () => {
    await gw?.close();
  });
  const refresh = async (token: string) =>
    await raw(gw, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: { refresh_token: token },
      headers: { 'x-supabase-api-version': '2024-01-01' },
    });
  const tokenOf = (r: { json: unknown }) => (r.json as { refresh_token: string }).refresh_token;
  const codeOf = (r: { json: unknown }) => (r.json as { code: string }).code;
  async function signIn(): Promise<string> {
    const { supabase } = testClient(gw);
    const { data } = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    return data.session?.refresh_token ?? '';
  }

  it('a replay of the just-rotated token (its answer was lost) gets the current session back, even after the interval', async () => {
    const first = await signIn();
    const second = await refresh(first);
    expect(second.status).toBe(200);
    const again = await refresh(first);
    expect(again.status).toBe(200);
    expect(tokenOf(again)).toBe(tokenOf(second)); // nothing new issued: the current token again
    expect(decode((again.json as { access_token: string }).access_token).claims.session_id).toBe(
      decode((second.json as { access_token: string }).access_token).claims.session_id,
    );
    clock += 60;
    expect(tokenOf(await refresh(first))).toBe(tokenOf(second));
    const third = await refresh(tokenOf(second));
    expect(third.status).toBe(200);
    expect(tokenOf(third)).not.toBe(tokenOf(second));
  });

  it('an older token within 10 s of its rotation is still honoured with a new token', async () => {
    const first = await signIn();
    const second = tokenOf(await refresh(first));
    clock += 3;
    const third = tokenOf(await refresh(second));
    clock += 5; // first was rotated 8 s ago
    const late = await refresh(first);
    expect(late.status).toBe(200);
    expect([second, third]).not.toContain(tokenOf(late));
  });

  it('beyond 10 s it is reuse: 400 refresh_token_already_used, and every token of the session is revoked (the session stays)', async () => {
    const first = await signIn();
    const second = tokenOf(await refresh(first));
    const third = tokenOf(await refresh(second));
    clock += 11;
    const reuse = await refresh(first);
    expect(reuse.status).toBe(400);
    expect(codeOf(reuse)).toBe('refresh_token_already_used');
    expect((reuse.json as { message: string }).message).toBe('Invalid Refresh Token: Already Used');
    clock += 11;
    const current = await refresh(third);
    expect(current.status).toBe(400);
    expect(codeOf(current)).toBe('refresh_token_already_used');
  });
});

describe('refresh errors', () => {
  it('answers an unknown refresh token with 400 refresh_token_not_found', async () => {
    const { supabase } = testClient(fx.gateway);
    const { error } = await supabase.auth.refreshSession({ refresh_token: 'not-a-token-we-issued' });
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('refresh_token_not_found');
  });

  it('with expires_in 60, a REST call after sign-in first refreshes the session', async () => {
    const short = await startGateway({ databaseUrl: fx.databaseUrl, jwtSecret: fx.gateway.jwtSecret, accessTokenTtlSeconds: 60 });
    try {
      const { supabase, requests } = testClient(short);
      const signIn = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
      expect(signIn.data.session?.expires_in).toBe(60);
      requests.length = 0;
      const { error } = await supabase.rpc('gateway_probe_missing');
      expect(error?.code).toBe('PGRST202');
      const paths = requests.map((r) => `${r.method} ${r.url.pathname}${r.url.search}`);
      expect(paths).toEqual(['POST /auth/v1/token?grant_type=refresh_token', 'POST /rest/v1/rpc/gateway_probe_missing']);
    } finally {
      await short.close();
    }
  });

  it('with expires_in 3600, a REST call does not refresh', async () => {
    const { supabase, requests } = testClient(fx.gateway);
    await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    requests.length = 0;
    await supabase.rpc('gateway_probe_missing');
    expect(requests.map((r) => r.url.pathname)).toEqual(['/rest/v1/rpc/gateway_probe_missing']);
  });
});

describe('GET /user', () => {
  it('answers a valid token with the bare user object', async () => {
    const { supabase } = testClient(fx.gateway);
    const { data } = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    const res = await raw(fx.gateway, '/auth/v1/user', {
      headers: { authorization: `Bearer ${data.session?.access_token}` },
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: userId, email: EMAIL, aud: 'authenticated', role: 'authenticated' });
    const viaClient = await supabase.auth.getUser();
    expect(viaClient.error).toBeNull();
    expect(viaClient.data.user?.id).toBe(userId);
  });

  it('answers a missing bearer with 401 no_authorization', async () => {
    const res = await fetch(`${fx.gateway.url}/auth/v1/user`, {
      headers: { apikey: fx.gateway.anonKey, 'x-supabase-api-version': '2024-01-01' },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('no_authorization');
  });

  it('answers an expired or forged token with 403 bad_jwt', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: userId, aud: 'authenticated', role: 'authenticated', iat: now - 7200, exp: now - 3600 };
    const expired = signJwt(claims, fx.gateway.jwtSecret);
    const forged = signJwt({ ...claims, exp: now + 3600 }, 'a-secret-that-is-not-the-gateways-secret');
    for (const token of [expired, forged]) {
      const res = await raw(fx.gateway, '/auth/v1/user', {
        headers: { authorization: `Bearer ${token}`, 'x-supabase-api-version': '2024-01-01' },
      });
      expect(res.status).toBe(403);
      expect((res.json as { code: string }).code).toBe('bad_jwt');
    }
    const { supabase } = testClient(fx.gateway);
    const { error } = await supabase.auth.getUser(forged);
    expect(error?.status).toBe(403);
    expect(error?.code).toBe('bad_jwt');
  });
});

describe('logout', () => {
  it('answers 204, supabase-js signOut() returns no error, and the refresh token is dead afterwards', async () => {
    const { supabase } = testClient(fx.gateway);
    const { data } = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    const refresh = data.session?.refresh_token ?? '';
    const access = data.session?.access_token ?? '';

    const other = testClient(fx.gateway).supabase;
    const otherSession = (await other.auth.signInWithPassword({ email: EMAIL, password: PASSWORD })).data.session;

    const { error } = await supabase.auth.signOut();
    expect(error).toBeNull();
    expect((await supabase.auth.getSession()).data.session).toBeNull();

    const again = await raw(fx.gateway, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: { refresh_token: refresh },
      headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    expect(again.status).toBe(400);
    // global scope: the user's other session is gone too
    const otherRefresh = await raw(fx.gateway, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: { refresh_token: otherSession?.refresh_token },
    });
    expect(otherRefresh.status).toBe(400);
    // the access token stays a valid JWT, but its session is gone
    const user = await raw(fx.gateway, '/auth/v1/user', {
      headers: { authorization: `Bearer ${access}`, 'x-supabase-api-version': '2024-01-01' },
    });
    expect(user.status).toBe(403);
    expect((user.json as { code: string }).code).toBe('session_not_found');
  });

  it("answers POST /logout?scope=local with 204 and keeps the user's other sessions", async () => {
    const a = testClient(fx.gateway).supabase;
    const b = testClient(fx.gateway).supabase;
    const sa = (await a.auth.signInWithPassword({ email: EMAIL, password: PASSWORD })).data.session;
    const sb = (await b.auth.signInWithPassword({ email: EMAIL, password: PASSWORD })).data.session;
    const res = await raw(fx.gateway, '/auth/v1/logout?scope=local', {
      method: 'POST',
      headers: { authorization: `Bearer ${sa?.access_token}` },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    const dead = await raw(fx.gateway, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: { refresh_token: sa?.refresh_token },
    });
    expect(dead.status).toBe(400);
    const alive = await raw(fx.gateway, '/auth/v1/token?grant_type=refresh_token', {
      method: 'POST',
      body: { refresh_token: sb?.refresh_token },
    });
    expect(alive.status).toBe(200);
  });
});

describe('Kong-style apikey check', () => {
  for (const path of ['/auth/v1/token?grant_type=password', '/rest/v1/rpc/anything', '/auth/v1/user', '/rest/v1/anything']) {
    it(`refuses a missing or unknown apikey on ${path} with 401 before anything runs`, async () => {
      const missing = await fetch(`${fx.gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ message: 'No API key found in request' });
      const wrong = await fetch(`${fx.gateway.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: 'not-the-key', authorization: `Bearer ${fx.gateway.anonKey}` },
        body: '{}',
      });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ message: 'Invalid API key' });
    });
  }

  it('a client built with a wrong key cannot sign in', async () => {
    const { supabase } = testClient(fx.gateway, 'sb_publishable_not_this_gateways_key');
    const { error } = await supabase.auth.signInWithPassword({ email: EMAIL, password: PASSWORD });
    expect(error?.status).toBe(401);
  });
});
