import pg from 'pg';
import type { TableInfo } from './catalog.ts';
import { pgrstError } from './errors.ts';
import { limitSql, orderSql, parseCount, parseFilters, parseOrder, parseSelect, whereSql } from './query.ts';
import type { RequestSettings, TxRunner } from './tx.ts';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  /** null: no body (204, HEAD). */
  body: string | null;
}

export interface RestRequest {
  method: string;
  /** Path as PostgREST sees it, e.g. `/rpc/begin_upload` or `/clients`. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased names; `cookie` excluded. */
  headers: Record<string, string>;
  rawBody: Buffer;
  role: string;
  claims: Record<string, unknown>;
  schema: string;
}

export interface RestContext {
  tx: TxRunner;
  schemas: string[];
  /** `db-max-rows`: the most rows a read answers (null: no cap). */
  maxRows: number | null;
}

/** The settings PostgREST gives the transaction of `req` (docs/gateway-contract.md, "One request, one transaction"). */
export function requestSettings(req: RestRequest, readOnly: boolean): RequestSettings {
  return {
    readOnly,
    role: req.role,
    claims: req.claims,
    method: req.method,
    path: req.path,
    headers: req.headers,
    searchPath: [req.schema, 'extensions'],
  };
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const OBJECT_TYPE = 'application/vnd.pgrst.object+json; charset=utf-8';

/** `Prefer` values: several arrive as one header joined by ", " (Headers.append). */
export function parsePrefer(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const raw = headers['prefer'];
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const [k, v] = part.trim().split('=');
    if (k) out.set(k.trim(), (v ?? '').trim());
  }
  return out;
}

const KNOWN_PREFERENCES: Record<string, string[]> = {
  return: ['minimal', 'representation', 'headers-only'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
  handling: ['strict', 'lenient'],
  tx: ['commit', 'rollback'],
};

/** With `Prefer: handling=strict`, an unknown preference is an error (PGRST122). */
export function checkStrictPreferences(prefer: Map<string, string>): void {
  if (prefer.get('handling') !== 'strict') return;
  const bad = [...prefer].filter(([k, v]) => !KNOWN_PREFERENCES[k]?.includes(v));
  if (bad.length > 0) {
    throw pgrstError(
      400,
      'PGRST122',
      'Invalid preferences given with handling=strict',
      `Invalid preferences: ${bad.map(([k, v]) => `${k}=${v}`).join(', ')}`,
    );
  }
}

export function appliedPreferences(prefer: Map<string, string>, keys: string[]): Record<string, string> {
  const applied = keys.filter((k) => prefer.has(k)).map((k) => `${k}=${prefer.get(k)}`);
  return applied.length > 0 ? { 'Preference-Applied': applied.join(', ') } : {};
}

export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw pgrstError(400, 'PGRST102', 'Empty or invalid json');
  try {
    return JSON.parse(text);
  } catch {
    throw pgrstError(400, 'PGRST102', 'Empty or invalid json');
  }
}

export function wantsObject(headers: Record<string, string>): boolean {
  return (headers['accept'] ?? '').includes('application/vnd.pgrst.object');
}

export function qualifiedName(schema: string, name: string): string {
  return `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`;
}

/** An unknown column in `select`, a filter or `order` reaches Postgres as 42703 in PostgREST. */
export function checkColumns(table: TableInfo, names: Iterable<string>): void {
  for (const name of names) {
    if (!table.columns.has(name)) {
      throw pgrstError(400, '42703', `column ${table.name}.${name} does not exist`);
    }
  }
}

export function unknownTable(schema: string, name: string) {
  return pgrstError(404, 'PGRST205', `Could not find the table '${schema}.${name}' in the schema cache`);
}

/** Where `readRows` reads from: a table, or the rows a function call returns. */
export interface RowSource {
  /** The relation read: a qualified table name, or `pgrst_source` when `withSql` defines it. */
  relation: string;
  /** `with pgrst_source as (…) ` put before the read, or nothing. */
  withSql?: string;
  /** Bound parameters `withSql` refers to; the read appends its own after them. */
  params?: unknown[];
  /** Query keys that are not column filters (a GET call's function arguments). */
  notFilters?: ReadonlySet<string>;
  /** When the columns are known, an unknown one in `select`, a filter or `order` is refused (42703). */
  table?: TableInfo;
  readOnly: boolean;
}

/** A read with PostgREST's `select`, filters, `order`, `limit`/`offset` and `Prefer: count` (table GET/HEAD, set-returning RPC). */
export async function readRows(ctx: RestContext, req: RestRequest, source: RowSource): Promise<Reply> {
  const select = parseSelect(req.query.get('select'));
  const filters = parseFilters(req.query, source.notFilters);
  const order = parseOrder(req.query.get('order'));
  // PostgREST caps every read at db-max-rows, whatever `limit` asked for, and says nothing.
  const asked = parseCount(req.query.get('limit'), 'limit');
  const limit = ctx.maxRows === null ? asked : Math.min(asked ?? ctx.maxRows, ctx.maxRows);
  const offset = parseCount(req.query.get('offset'), 'offset') ?? 0;
  if (source.table) checkColumns(source.table, [...(select ?? []), ...filters.map((f) => f.column), ...order.map((o) => o.column)]);
  const exact = parsePrefer(req.headers).has('count');

  const r = source.relation;
  const params = [...(source.params ?? [])];
  const where = whereSql(filters, r, params);
  const cols = select ? select.map((c) => `${r}.${pg.escapeIdentifier(c)}`).join(', ') : `${r}.*`;
  const sql =
    `${source.withSql ?? ''}select ${exact ? `(select count(*) from ${r} where ${where})` : 'null'}::int8 as total, ` +
    `count(*)::int8 as page_total, coalesce(json_agg(_t), '[]')::text as body ` +
    `from (select ${cols} from ${r} where ${where}${orderSql(order, r)}${limitSql(limit, offset || null, params)}) _t`;
  const row = await ctx.tx.run(
    requestSettings(req, source.readOnly),
    async (c) => (await c.query<{ total: string | null; page_total: string; body: string }>(sql, params)).rows[0],
  );
  if (!row) throw new Error('a read returned no row');
  return readReply(
    req,
    { total: row.total === null ? null : Number(row.total), pageTotal: Number(row.page_total), body: row.body },
    offset,
  );
}

interface ResultSet {
  total: number | null;
  pageTotal: number;
  /** JSON array text. */
  body: string;
}

/**
 * Status, Content-Range and body of a read (table GET/HEAD, set-returning RPC), following
 * PostgREST's Response.hs: 206 when a known total is larger than the page; object Accept → 406
 * PGRST116 unless exactly one row.
 */
function readReply(req: RestRequest, result: ResultSet, offset: number): Reply {
  const totalText = result.total === null ? '*' : String(result.total);
  const range = result.pageTotal === 0 ? `*/${totalText}` : `${offset}-${offset + result.pageTotal - 1}/${totalText}`;
  const headers: Record<string, string> = { 'Content-Range': range };
  const head = req.method === 'HEAD';
  if (wantsObject(req.headers)) {
    if (result.pageTotal !== 1) {
      throw pgrstError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${result.pageTotal} rows`);
    }
    const rows = JSON.parse(result.body) as unknown[];
    return {
      status: 200,
      headers: { ...headers, 'Content-Type': OBJECT_TYPE },
      body: head ? null : JSON.stringify(rows[0]),
    };
  }
  const partial = result.total !== null && result.pageTotal < result.total;
  return {
    status: partial ? 206 : 200,
    headers: { ...headers, 'Content-Type': JSON_TYPE },
    body: head ? null : result.body,
  };
}
