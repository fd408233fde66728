import pg from 'pg';
import { findFunctions, type FunctionInfo } from './catalog.ts';
import { pgrstError } from './errors.ts';
import { RESERVED_PARAMS } from './query.ts';
import {
  JSON_TYPE,
  parseJsonBody,
  qualifiedName,
  readRows,
  requestSettings,
  type Reply,
  type RestContext,
  type RestRequest,
} from './rest-common.ts';

/**
 * `POST|GET|HEAD /rpc/<fn>`: PostgREST's function call (docs/gateway-contract.md, "Function calls").
 * The overload is chosen by the set of argument names; the body reaches PostgreSQL as one bound json
 * parameter.
 */
export async function callFunction(ctx: RestContext, req: RestRequest, fnName: string): Promise<Reply> {
  const isPost = req.method === 'POST';
  let body: unknown = {};
  if (isPost && req.rawBody.toString('utf8').trim() !== '') body = parseJsonBody(req.rawBody);
  const candidates = await ctx.tx.withConnection((c) => findFunctions(c, req.schema, fnName));

  let keys: string[];
  if (isPost) {
    keys = isPlainObject(body) ? Object.keys(body) : [];
  } else {
    keys = [...new Set([...req.query.keys()].filter((k) => !RESERVED_PARAMS.has(k)))];
  }
  const chosen = choose(candidates, keys, isPost, body, req.schema, fnName);
  const { fn, wholeBody } = chosen;
  if (isPost && !wholeBody && !isPlainObject(body)) {
    throw pgrstError(400, 'PGRST102', 'Empty or invalid json', 'The test gateway takes one JSON object of named arguments');
  }

  const params: unknown[] = [];
  const argNames = wholeBody ? [] : fn.args.filter((a) => keys.includes(a.name));
  let from = '';
  let call: string;
  const q = qualifiedName(fn.schema, fn.name);
  if (wholeBody) {
    params.push(JSON.stringify(body));
    call = `${q}($1::${fn.args[0]?.type ?? 'json'})`;
  } else if (isPost && argNames.length > 0) {
    params.push(JSON.stringify(body));
    const cols = argNames.map((a) => pg.escapeIdentifier(a.name)).join(', ');
    const defs = argNames.map((a) => `${pg.escapeIdentifier(a.name)} ${a.type}`).join(', ');
    from =
      `(select $1::json as json_data) pgrst_payload, ` +
      `lateral (select ${cols} from json_to_record(pgrst_payload.json_data) as _(${defs}) limit 1) pgrst_body, `;
    call = `${q}(${argNames.map((a) => `${pg.escapeIdentifier(a.name)} := pgrst_body.${pg.escapeIdentifier(a.name)}`).join(', ')})`;
  } else {
    const named = argNames.map((a) => {
      params.push(req.query.get(a.name));
      return `${pg.escapeIdentifier(a.name)} := $${params.length}::${a.type}`;
    });
    call = `${q}(${named.join(', ')})`;
  }

  const readOnly = !isPost || fn.volatility !== 'v';
  const filterSkip = new Set([...RESERVED_PARAMS, ...(isPost ? [] : argNames.map((a) => a.name))]);

  if (fn.returnsSet && fn.returnsComposite) {
    return await readRows(ctx, req, {
      relation: 'pgrst_source',
      withSql: `with pgrst_source as (select pgrst_call.* from ${from}lateral ${call} pgrst_call) `,
      params,
      notFilters: filterSkip,
      readOnly,
    });
  }

  let sql: string;
  if (fn.returnsSet) {
    // db-max-rows caps a set of scalars as it caps a table read.
    const cap = ctx.maxRows === null ? '' : ` limit ${ctx.maxRows}`;
    sql = `select coalesce(json_agg(_s.pgrst_scalar), '[]')::text as body from (select pgrst_call.pgrst_scalar from ${from}lateral ${call} as pgrst_call(pgrst_scalar)${cap}) _s`;
  } else if (fn.returnsComposite) {
    sql = `select coalesce(json_agg(_t)->0, 'null')::text as body from (select pgrst_call.* from ${from}lateral ${call} pgrst_call) _t`;
  } else {
    sql = `select coalesce(json_agg(pgrst_call.pgrst_scalar)->0, 'null')::text as body from ${from}lateral (select ${call} as pgrst_scalar) pgrst_call`;
  }
  const row = await ctx.tx.run(requestSettings(req, readOnly), async (c) => (await c.query<{ body: string }>(sql, params)).rows[0]);
  if (fn.returnsVoid) return { status: 204, headers: {}, body: null };
  return {
    status: 200,
    headers: { 'Content-Type': JSON_TYPE },
    body: req.method === 'HEAD' ? null : (row?.body ?? 'null'),
  };
}

function choose(
  candidates: FunctionInfo[],
  keys: string[],
  isPost: boolean,
  body: unknown,
  schema: string,
  fnName: string,
): { fn: FunctionInfo; wholeBody: boolean } {
  const given = new Set(keys);
  const byNames = candidates.filter((fn) => {
    if (fn.args.some((a) => a.name === '')) return false;
    const required = fn.args.filter((a) => !a.hasDefault).map((a) => a.name);
    const all = new Set(fn.args.map((a) => a.name));
    if (!required.every((r) => given.has(r))) return false;
    // GET: keys that are not arguments are filters on the result.
    return isPost ? keys.every((k) => all.has(k)) : true;
  });
  if (byNames.length === 1) return { fn: byNames[0] as FunctionInfo, wholeBody: false };
  if (byNames.length > 1) {
    throw pgrstError(
      300,
      'PGRST203',
      `Could not choose the best candidate function between: ${byNames.map((f) => `${schema}.${fnName}(${f.args.map((a) => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`,
      null,
      'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
    );
  }
  // Fallback: one unnamed json/jsonb parameter receives the whole body.
  if (isPost && body !== undefined) {
    const single = candidates.filter(
      (fn) => fn.args.length === 1 && fn.args[0]?.name === '' && ['json', 'jsonb'].includes(fn.args[0]?.type ?? ''),
    );
    if (single.length === 1) return { fn: single[0] as FunctionInfo, wholeBody: true };
  }
  const sorted = [...keys].sort();
  throw pgrstError(
    404,
    'PGRST202',
    `Could not find the function ${schema}.${fnName}${sorted.length ? `(${sorted.join(', ')})` : ' without parameters'} in the schema cache`,
    `Searched for the function ${schema}.${fnName}${sorted.length ? ` with parameters ${sorted.join(', ')}` : ' without parameters'} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
  );
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
