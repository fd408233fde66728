import { findTable, type TableInfo } from './catalog.ts';
import { pgrstError } from './errors.ts';
import {
  checkStrictPreferences,
  parsePrefer,
  qualifiedName,
  readRows,
  unknownTable,
  type Reply,
  type RestContext,
  type RestRequest,
} from './rest-common.ts';
import { deleteRows, insertRows, updateRows } from './rest-write.ts';
import { callFunction } from './rpc.ts';

/** The PostgREST subset behind `/rest/v1` (docs/gateway-contract.md). */
export async function handleRest(ctx: RestContext, req: RestRequest): Promise<Reply> {
  checkStrictPreferences(parsePrefer(req.headers));
  const segments = req.path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
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
  return await readRows(ctx, req, { relation: qualifiedName(table.schema, table.name), table, readOnly: true });
}
