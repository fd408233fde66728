import pg from 'pg';
import type { TableInfo } from './catalog.ts';
import { pgrstError } from './errors.ts';
import { parseFilters, parseSelect, whereSql } from './query.ts';
import {
  appliedPreferences,
  checkColumns,
  JSON_TYPE,
  OBJECT_TYPE,
  parseJsonBody,
  parsePrefer,
  qualifiedName,
  requestSettings,
  wantsObject,
  type Reply,
  type RestContext,
  type RestRequest,
} from './rest-common.ts';

/**
 * Table writes as PostgREST builds them (docs/gateway-contract.md, "Table reads and writes"): the
 * body is one bound json parameter read with json_to_recordset; identifiers come from the catalog.
 */

interface WriteResult {
  pageTotal: number;
  inserted: number;
  body: string;
}

function unknownColumn(table: TableInfo, name: string) {
  return pgrstError(400, 'PGRST204', `Could not find the '${name}' column of '${table.name}' in the schema cache`);
}

/** `RETURNING` and the projection of the answer, per `Prefer: return=` and `?select=`. */
function returning(req: RestRequest, table: TableInfo, representation: boolean, withInserted: boolean) {
  const q = qualifiedName(table.schema, table.name);
  if (!representation) return { returning: '1', projection: null as string | null };
  const select = parseSelect(req.query.get('select'));
  if (select) checkColumns(table, select);
  const cols = select
    ? select.map((c) => `pgrst_source.${pg.escapeIdentifier(c)}`).join(', ')
    : table.columnOrder.map((c) => `pgrst_source.${pg.escapeIdentifier(c)}`).join(', ');
  return {
    returning: `${q}.*${withInserted ? `, (${q}.xmax = 0) as pgrst_inserted` : ''}`,
    projection: cols,
  };
}

function finalSelect(projection: string | null, withInserted: boolean): string {
  const body =
    projection === null ? `'[]'` : `(select coalesce(json_agg(_r), '[]') from (select ${projection} from pgrst_source) _r)::text`;
  const inserted = withInserted && projection !== null ? 'count(*) filter (where pgrst_source.pgrst_inserted)' : 'count(*)';
  return ` select count(*)::int8 as page_total, ${inserted}::int8 as inserted, ${body} as body from pgrst_source`;
}

async function runWrite(ctx: RestContext, req: RestRequest, sql: string, params: unknown[], single: boolean): Promise<WriteResult> {
  return await ctx.tx.run(requestSettings(req, false), async (c) => {
    const row = (await c.query(sql, params)).rows[0];
    const result = { pageTotal: Number(row.page_total), inserted: Number(row.inserted), body: String(row.body) };
    if (single && result.pageTotal !== 1) {
      // Thrown inside the transaction: the write is rolled back, as PostgREST does.
      throw pgrstError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${result.pageTotal} rows`);
    }
    return result;
  });
}

function representationReply(status: number, req: RestRequest, result: WriteResult, headers: Record<string, string>): Reply {
  if (wantsObject(req.headers)) {
    const rows = JSON.parse(result.body) as unknown[];
    return { status, headers: { ...headers, 'Content-Type': OBJECT_TYPE }, body: JSON.stringify(rows[0]) };
  }
  return { status, headers: { ...headers, 'Content-Type': JSON_TYPE }, body: result.body };
}

function parseColumnsParam(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s));
}

export async function insertRows(ctx: RestContext, req: RestRequest, table: TableInfo): Promise<Reply> {
  const prefer = parsePrefer(req.headers);
  const body = parseJsonBody(req.rawBody);
  const rows = Array.isArray(body) ? body : [body];
  if (!rows.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw pgrstError(400, 'PGRST102', 'Empty or invalid json');
  }
  const objects = rows as Array<Record<string, unknown>>;
  const columnsParam = req.query.get('columns');
  let columns: string[];
  if (columnsParam !== null) columns = parseColumnsParam(columnsParam);
  else {
    columns = Object.keys(objects[0] ?? {});
    const key = [...columns].sort().join('\u0000');
    if (objects.some((o) => Object.keys(o).sort().join('\u0000') !== key)) {
      throw pgrstError(400, 'PGRST102', 'All object keys must match');
    }
  }
  for (const c of columns) if (!table.columns.has(c)) throw unknownColumn(table, c);

  const representation = prefer.get('return') === 'representation';
  const resolution = prefer.get('resolution');
  const headers = { 'Content-Range': '*/*', ...appliedPreferences(prefer, ['resolution', 'return', 'missing']) };
  if (objects.length === 0) {
    return representation
      ? { status: 201, headers: { ...headers, 'Content-Type': JSON_TYPE }, body: '[]' }
      : { status: 201, headers, body: null };
  }

  const q = qualifiedName(table.schema, table.name);
  const params: unknown[] = [JSON.stringify(objects)];
  const ids = columns.map((c) => pg.escapeIdentifier(c));
  const defs = columns.map((c) => `${pg.escapeIdentifier(c)} ${table.columns.get(c)?.type}`).join(', ');
  let payload = '$1::json';
  if (prefer.get('missing') === 'default') {
    // Keys absent from an object take the column DEFAULT (evaluated per row), present keys win.
    const defaults = columns
      .map((c) => [c, table.columns.get(c)?.defaultSql] as const)
      .filter((x): x is readonly [string, string] => typeof x[1] === 'string')
      .map(([c, expr]) => `${pg.escapeLiteral(c)}, (${expr})`);
    if (defaults.length > 0) {
      payload = `(select json_agg(jsonb_build_object(${defaults.join(', ')}) || e) from jsonb_array_elements($1::jsonb) e)`;
    }
  }
  let conflict = '';
  if (resolution === 'merge-duplicates' || resolution === 'ignore-duplicates') {
    const onConflict = req.query.get('on_conflict');
    const target = onConflict !== null ? parseColumnsParam(onConflict) : table.primaryKey;
    for (const c of target) if (!table.columns.has(c)) throw unknownColumn(table, c);
    const targetSql = target.length > 0 ? `(${target.map((c) => pg.escapeIdentifier(c)).join(', ')})` : '';
    if (resolution === 'ignore-duplicates') conflict = ` on conflict ${targetSql} do nothing`;
    else {
      if (target.length === 0) throw pgrstError(400, 'PGRST100', `"${table.name}" has no primary key: give on_conflict`);
      conflict = ` on conflict ${targetSql} do update set ${ids.map((c) => `${c} = excluded.${c}`).join(', ')}`;
    }
  }
  const merge = resolution === 'merge-duplicates';
  const ret = returning(req, table, representation, merge);
  const insertSql =
    columns.length === 0
      ? `insert into ${q} default values`
      : `insert into ${q} (${ids.join(', ')}) select ${ids.map((c) => `pgrst_body.${c}`).join(', ')} ` +
        `from (select ${payload} as json_data) pgrst_payload, ` +
        `lateral (select ${ids.join(', ')} from json_to_recordset(pgrst_payload.json_data) as _(${defs})) pgrst_body`;
  const sql = `with pgrst_source as (${insertSql}${conflict} returning ${ret.returning})${finalSelect(ret.projection, merge)}`;
  const result = await runWrite(ctx, req, sql, params, representation && wantsObject(req.headers));
  if (!representation) return { status: 201, headers, body: null };
  // A merge upsert that inserted nothing new answers 200.
  const status = merge && result.inserted === 0 && result.pageTotal > 0 ? 200 : 201;
  return representationReply(status, req, result, headers);
}

function requireWhere(req: RestRequest, verb: string, hasFilters: boolean): void {
  // Supabase loads pg-safeupdate for authenticator.
  if (!hasFilters) throw pgrstError(400, '21000', `${verb} requires a WHERE clause`);
}

export async function updateRows(ctx: RestContext, req: RestRequest, table: TableInfo): Promise<Reply> {
  const prefer = parsePrefer(req.headers);
  const body = parseJsonBody(req.rawBody);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw pgrstError(400, 'PGRST102', 'Empty or invalid json');
  const columns = Object.keys(body);
  for (const c of columns) if (!table.columns.has(c)) throw unknownColumn(table, c);
  const filters = parseFilters(req.query);
  checkColumns(
    table,
    filters.map((f) => f.column),
  );
  requireWhere(req, 'UPDATE', filters.length > 0);
  const representation = prefer.get('return') === 'representation';
  const headers = appliedPreferences(prefer, ['return']);
  if (columns.length === 0) {
    return representation
      ? { status: 200, headers: { ...headers, 'Content-Type': JSON_TYPE }, body: '[]' }
      : { status: 204, headers, body: null };
  }
  const q = qualifiedName(table.schema, table.name);
  const params: unknown[] = [JSON.stringify(body)];
  const ids = columns.map((c) => pg.escapeIdentifier(c));
  const defs = columns.map((c) => `${pg.escapeIdentifier(c)} ${table.columns.get(c)?.type}`).join(', ');
  const where = whereSql(filters, q, params);
  const ret = returning(req, table, representation, false);
  const sql =
    `with pgrst_source as (update ${q} set ${ids.map((c) => `${c} = pgrst_body.${c}`).join(', ')} ` +
    `from (select $1::json as json_data) pgrst_payload, ` +
    `lateral (select ${ids.join(', ')} from json_to_record(pgrst_payload.json_data) as _(${defs})) pgrst_body ` +
    `where ${where} returning ${ret.returning})${finalSelect(ret.projection, false)}`;
  const result = await runWrite(ctx, req, sql, params, representation && wantsObject(req.headers));
  const range = result.pageTotal === 0 ? '*/*' : `0-${result.pageTotal - 1}/*`;
  if (!representation) return { status: 204, headers: { ...headers, 'Content-Range': range }, body: null };
  return representationReply(200, req, result, { ...headers, 'Content-Range': range });
}

export async function deleteRows(ctx: RestContext, req: RestRequest, table: TableInfo): Promise<Reply> {
  const prefer = parsePrefer(req.headers);
  const filters = parseFilters(req.query);
  checkColumns(
    table,
    filters.map((f) => f.column),
  );
  requireWhere(req, 'DELETE', filters.length > 0);
  const representation = prefer.get('return') === 'representation';
  const headers = appliedPreferences(prefer, ['return']);
  const q = qualifiedName(table.schema, table.name);
  const params: unknown[] = [];
  const where = whereSql(filters, q, params);
  const ret = returning(req, table, representation, false);
  const sql = `with pgrst_source as (delete from ${q} where ${where} returning ${ret.returning})${finalSelect(ret.projection, false)}`;
  const result = await runWrite(ctx, req, sql, params, representation && wantsObject(req.headers));
  const range = result.pageTotal === 0 ? '*/*' : `0-${result.pageTotal - 1}/*`;
  if (!representation) return { status: 204, headers: { ...headers, 'Content-Range': range }, body: null };
  return representationReply(200, req, result, { ...headers, 'Content-Range': range });
}
