/**
 * PostgREST's error shape and SQLSTATE → HTTP status map (docs/gateway-contract.md, "Errors"; the
 * map is PostgREST's own, `mapSQLtoHTTP` in its source).
 */

export interface RestErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/** An error the gateway answers with itself (PGRSTxxx) or relays from PostgreSQL. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: RestErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export function pgrstError(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  hint: string | null = null,
): RestError {
  return new RestError(status, { code, message, details, hint });
}

function httpStatusForSqlState(code: string, authed: boolean): number {
  if (/^PT\d{3}$/.test(code)) return Number(code.slice(2));
  switch (code) {
    case 'P0001':
      return 400;
    case '42501':
      return authed ? 403 : 401;
    case '23505':
    case '23503':
      return 409;
    case '25006':
      return 405;
    case '42883':
    case '42P01':
      return 404;
    case '22023':
      return 400;
    case '53400':
      return 500;
    case '57014':
      return 500;
    case '42P17':
      return 500;
  }
  const two = code.slice(0, 2);
  if (two === 'P0') return 500;
  if (two === '08' || two === '53' || code === '57P01') return 503;
  if (two === '0L' || two === '0P' || two === '28') return 403;
  if (['25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'XX'].includes(two)) return 500;
  if (two === '21') return 500;
  return 400;
}

/** The fields node-postgres puts on a server error. */
export interface PgServerError {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function isPgServerError(err: unknown): err is PgServerError & Error {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && 'severity' in err;
}

/** Turns a PostgreSQL error raised inside a request's transaction into PostgREST's answer. */
export function fromPgError(err: PgServerError, authed: boolean): RestError {
  const code = err.code ?? 'XX000';
  const status = httpStatusForSqlState(code, authed);
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
  return new RestError(status, { code, message: err.message, details: err.detail ?? null, hint: err.hint ?? null }, headers);
}
