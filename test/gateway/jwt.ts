import { createHmac, timingSafeEqual } from 'node:crypto';

/** HS256 JSON Web Tokens with node:crypto: what GoTrue mints and PostgREST verifies. */

export type JwtClaims = Record<string, unknown>;

export type JwtCheck =
  { ok: true; claims: JwtClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'not_yet_valid'; message: string };

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

function hmac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function signJwt(claims: JwtClaims, secret: string): string {
  const body = `${HEADER}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${hmac(secret, body).toString('base64url')}`;
}

/** Verifies signature and `exp`/`nbf`/`iat` with PostgREST's 30 s clock skew. */
export function verifyJwt(token: string, secret: string, nowSeconds: number, skewSeconds = 30): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return { ok: false, reason: 'malformed', message: `Expected 3 parts in JWT; got ${parts.length}` };
  }
  const [head, payload, signature] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', message: 'JWT cannot be decoded' };
  }
  if (!isObject(header) || header.alg !== 'HS256' || !isObject(claims)) {
    return { ok: false, reason: 'malformed', message: 'Wrong or unsupported encoding algorithm' };
  }
  const expected = hmac(secret, `${head}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature', message: 'JWSInvalidSignature' };
  }
  if (typeof claims.exp === 'number' && nowSeconds - skewSeconds >= claims.exp) {
    return { ok: false, reason: 'expired', message: 'JWT expired' };
  }
  if (typeof claims.nbf === 'number' && nowSeconds + skewSeconds < claims.nbf) {
    return { ok: false, reason: 'not_yet_valid', message: 'JWT not yet valid' };
  }
  if (typeof claims.iat === 'number' && nowSeconds + skewSeconds < claims.iat) {
    return { ok: false, reason: 'not_yet_valid', message: 'JWT issued at future' };
  }
  return { ok: true, claims };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
