import pg from 'pg';
import { pgrstError } from './errors.ts';

/** The PostgREST query-string subset the app uses: select lists, filters, order, limit/offset. */

export const RESERVED_PARAMS = new Set(['select', 'order', 'limit', 'offset', 'columns', 'on_conflict']);

const OPERATORS = {
  eq: '=',
  neq: '<>',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'like',
  ilike: 'ilike',
  is: 'is',
  in: 'in',
} as const;
type Operator = keyof typeof OPERATORS;

export interface Filter {
  column: string;
  op: Operator;
  negate: boolean;
  value: string | string[];
}

export interface OrderTerm {
  column: string;
  descending: boolean;
  nulls: 'first' | 'last' | null;
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** `"quoted"` or plain identifier; anything richer (embedding, casts, JSON paths) is refused. */
function identifier(raw: string, what: string): string {
  const s = raw.trim();
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return s.slice(1, -1).replace(/""/g, '"');
  if (PLAIN_NAME.test(s)) return s;
  throw pgrstError(400, 'PGRST100', `"failed to parse ${what} parameter (${raw})"`, `unexpected "${raw}"`);
}

/** `*` → null (all columns), else the column names. */
export function parseSelect(raw: string | null): string[] | null {
  if (raw === null || raw.trim() === '' || raw.trim() === '*') return null;
  return splitTopLevel(raw).map((part) => identifier(part, 'select'));
}

export function parseOrder(raw: string | null): OrderTerm[] {
  if (raw === null || raw === '') return [];
  return splitTopLevel(raw).map((term) => {
    const bits = term.split('.');
    const column = identifier(bits[0] ?? '', 'order');
    let descending = false;
    let nulls: OrderTerm['nulls'] = null;
    for (const bit of bits.slice(1)) {
      if (bit === 'asc') descending = false;
      else if (bit === 'desc') descending = true;
      else if (bit === 'nullsfirst') nulls = 'first';
      else if (bit === 'nullslast') nulls = 'last';
      else throw pgrstError(400, 'PGRST100', `"failed to parse order (${raw})"`, `unexpected "${bit}"`);
    }
    return { column, descending, nulls };
  });
}

export function parseCount(raw: string | null, name: string): number | null {
  if (raw === null || raw === '') return null;
  if (!/^\d+$/.test(raw)) throw pgrstError(400, 'PGRST100', `"failed to parse ${name} parameter (${raw})"`);
  return Number(raw);
}

/** Every query parameter that is not reserved (or an RPC argument) is a column filter `col=op.value`. */
export function parseFilters(params: URLSearchParams, skip: ReadonlySet<string> = RESERVED_PARAMS): Filter[] {
  const out: Filter[] = [];
  for (const [key, raw] of params) {
    if (skip.has(key)) continue;
    if (key === 'or' || key === 'and' || key === 'not.or' || key === 'not.and') {
      throw pgrstError(400, 'PGRST100', `"failed to parse logic tree (${raw})"`, 'or/and are not supported by the test gateway');
    }
    const column = identifier(key, 'filter');
    let rest = raw;
    let negate = false;
    if (rest.startsWith('not.')) {
      negate = true;
      rest = rest.slice(4);
    }
    const dot = rest.indexOf('.');
    const op = (dot < 0 ? rest : rest.slice(0, dot)) as Operator;
    if (dot < 0 || !(op in OPERATORS)) {
      throw pgrstError(400, 'PGRST100', `"failed to parse filter (${raw})"`, `unknown operator in "${raw}"`);
    }
    const value = rest.slice(dot + 1);
    if (op === 'in') out.push({ column, op, negate, value: parseInList(value) });
    else if (op === 'is') {
      if (!['null', 'not_null', 'true', 'false', 'unknown'].includes(value.toLowerCase())) {
        throw pgrstError(400, 'PGRST100', `"failed to parse filter (${raw})"`, 'is. takes null, true, false or unknown');
      }
      out.push({ column, op, negate, value: value.toLowerCase() });
    } else out.push({ column, op, negate, value });
  }
  return out;
}

/** `(a,b,"c,d","e\"f")` → ['a', 'b', 'c,d', 'e"f'] */
function parseInList(raw: string): string[] {
  if (!raw.startsWith('(') || !raw.endsWith(')')) {
    throw pgrstError(400, 'PGRST100', `"failed to parse filter (in.${raw})"`, 'in. needs a list in parentheses');
  }
  const body = raw.slice(1, -1);
  const out: string[] = [];
  if (body === '') return out;
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let value = '';
      i += 1;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\' && i + 1 < body.length) i += 1;
        value += body[i];
        i += 1;
      }
      i += 1; // closing quote
      out.push(value);
      if (i < body.length && body[i] !== ',') {
        throw pgrstError(400, 'PGRST100', `"failed to parse filter (in.${raw})"`, 'text after a quoted value');
      }
      i += 1;
    } else {
      const comma = body.indexOf(',', i);
      const end = comma < 0 ? body.length : comma;
      out.push(body.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** Splits on commas outside double quotes; refuses embedding, aliases and casts. */
function splitTopLevel(raw: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let current = '';
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === '(' || ch === ')' || ch === ':' || ch === '!')) {
      throw pgrstError(
        400,
        'PGRST100',
        `"failed to parse select parameter (${raw})"`,
        'embedding, aliases and casts are not supported by the test gateway',
      );
    }
    if (!quoted && ch === ',') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}

/** Appends bound values to `params` and returns a WHERE condition (or `true`). */
export function whereSql(filters: Filter[], qualifier: string, params: unknown[]): string {
  if (filters.length === 0) return 'true';
  return filters
    .map((f) => {
      const col = `${qualifier}.${pg.escapeIdentifier(f.column)}`;
      let cond: string;
      if (f.op === 'is') {
        const word = f.value === 'not_null' ? 'not null' : String(f.value);
        cond = `${col} is ${word}`;
      } else if (f.op === 'in') {
        params.push(f.value);
        cond = `${col} = any($${params.length})`;
      } else if (f.op === 'like' || f.op === 'ilike') {
        params.push(String(f.value).replace(/\*/g, '%'));
        cond = `${col} ${OPERATORS[f.op]} $${params.length}`;
      } else {
        params.push(f.value);
        cond = `${col} ${OPERATORS[f.op]} $${params.length}`;
      }
      return f.negate ? `not (${cond})` : cond;
    })
    .join(' and ');
}

export function orderSql(order: OrderTerm[], qualifier: string): string {
  if (order.length === 0) return '';
  const terms = order.map(
    (o) => `${qualifier}.${pg.escapeIdentifier(o.column)} ${o.descending ? 'desc' : 'asc'}${o.nulls ? ` nulls ${o.nulls}` : ''}`,
  );
  return ` order by ${terms.join(', ')}`;
}

export function limitSql(limit: number | null, offset: number | null, params: unknown[]): string {
  let s = '';
  if (limit !== null) {
    params.push(limit);
    s += ` limit $${params.length}`;
  }
  if (offset !== null) {
    params.push(offset);
    s += ` offset $${params.length}`;
  }
  return s;
}
