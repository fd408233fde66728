import pg from 'pg';
import { findTable, type TableInfo } from './catalog.ts';
import { pgrstError } from './errors.ts';
import { limitSql, orderSql, parseCount, parseFilters, parseOrder, parseSelect, whereSql } from './query.ts';
import {
  checkColumns,
  checkStrictPreferences,
  parsePrefer,
  qualifiedName,
  readReply,
  unknownTable,
  type Reply,
  type RestContext,
  type RestRequest,
} from './rest-common.ts';
import { deleteRows, insertRows, updateRows } from './rest-write.ts';
import { callFunction } from './rpc.ts';

/** The PostgREST subset behind `/rest/v1` (postgrest-contract.md §3–§6). */
export async function handleRest(ctx: RestContext, req: RestRequest): Promise<Reply> {
  checkStrictPreferences(parsePrefer(req.headers));
  const segments = req.path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  if (segments.length === 2 && segments[0] === 'rpc') {
    if (!['GET', 'HEAD', 'POST'].includes(req.method)) throw methodNotAllowed(req.method);
    return await callFunction(ctx, req, segments[1] as string);
  }
  if (segments.length !== 1) {
    throw pgrstError(404, 'PGRST125', `Invalid path specified in request URL`);
  }
  const name = segments[0] as string;
  const table = await ctx.tx.withConnection((c) => findTable(c, req.schema, name));
  if (!table) throw unknownTable(req.schema, name);
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return await readTable(ctx, req, table);
    case 'POST':
      return await insertRows(ctx, req, table);
    case 'PATCH':
      return await updateRows(ctx, req, table);
    case 'DELETE':
      return await deleteRows(ctx, req, table);
    default:
      throw methodNotAllowed(req.method);
  }
}

function methodNotAllowed(method: string) {
  return pgrstError(405, 'PGRST117', `Unsupported HTTP method: ${method}`);
}

async function readTable(ctx: RestContext, req: RestRequest, table: TableInfo): Promise<Reply> {
  const select = parseSelect(req.query.get('select'));
  const filters = parseFilters(req.query);
  const order = parseOrder(req.query.get('order'));
  const limit = parseCount(req.query.get('limit'), 'limit');
  const offset = parseCount(req.query.get('offset'), 'offset') ?? 0;
  checkColumns(table, [...(select ?? []), ...filters.map((f) => f.column), ...order.map((o) => o.column)]);
  const exact = parsePrefer(req.headers).has('count');

  const q = qualifiedName(table.schema, table.name);
  const params: unknown[] = [];
  const where = whereSql(filters, q, params);
  const cols = select ? select.map((c) => `${q}.${pg.escapeIdentifier(c)}`).join(', ') : `${q}.*`;
  const sql =
    `select ${exact ? `(select count(*) from ${q} where ${where})` : 'null'}::int8 as total, ` +
    `count(*)::int8 as page_total, coalesce(json_agg(_t), '[]')::text as body ` +
    `from (select ${cols} from ${q} where ${where}${orderSql(order, q)}${limitSql(limit, offset || null, params)}) _t`;
  const row = await ctx.tx.run(
    {
      readOnly: true,
      role: req.role,
      claims: req.claims,
      method: req.method,
      path: req.path,
      headers: req.headers,
      searchPath: [req.schema, 'extensions'],
    },
    async (c) => (await c.query<{ total: string | null; page_total: string; body: string }>(sql, params)).rows[0],
  );
  if (!row) throw new Error('a read returned no row');
  return readReply(req, { total: row.total === null ? null : Number(row.total), pageTotal: Number(row.page_total), body: row.body }, offset);
}
