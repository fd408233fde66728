import type pg from 'pg';

/** What the gateway needs to know about a table or view (PostgREST's schema cache, looked up per request). */
export interface TableInfo {
  schema: string;
  name: string;
  columns: Map<string, ColumnInfo>;
  /** Column names in table order. */
  columnOrder: string[];
  primaryKey: string[];
}

export interface ColumnInfo {
  name: string;
  /** `format_type` output, usable in SQL (`uuid`, `character(3)`, `text[]`). */
  type: string;
  /** `pg_get_expr` of the column default, or null. */
  defaultSql: string | null;
}

export interface FunctionArg {
  name: string;
  type: string;
  hasDefault: boolean;
}

export interface FunctionInfo {
  schema: string;
  name: string;
  /** Input arguments in order. */
  args: FunctionArg[];
  returnsSet: boolean;
  returnsVoid: boolean;
  /** true: rows with columns (composite, OUT/TABLE params, record); false: a scalar value. */
  returnsComposite: boolean;
  volatility: 'i' | 's' | 'v';
}

const TABLE_SQL = `
  select a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
         pg_get_expr(d.adbin, d.adrelid) as default_sql,
         coalesce(a.attnum = any(i.indkey::int2[]), false) as in_pk
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
  left join pg_catalog.pg_index i on i.indrelid = c.oid and i.indisprimary
  where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'v', 'm', 'p', 'f')
  order by a.attnum`;

export async function findTable(client: pg.ClientBase, schema: string, name: string): Promise<TableInfo | null> {
  const r = await client.query<{ name: string; type: string; default_sql: string | null; in_pk: boolean }>(TABLE_SQL, [schema, name]);
  if (r.rows.length === 0) return null;
  const columns = new Map<string, ColumnInfo>();
  for (const row of r.rows) columns.set(row.name, { name: row.name, type: row.type, defaultSql: row.default_sql });
  return {
    schema,
    name,
    columns,
    columnOrder: r.rows.map((x) => x.name),
    primaryKey: r.rows.filter((x) => x.in_pk).map((x) => x.name),
  };
}

const FUNCTION_SQL = `
  select p.oid::int8::text as oid, p.proretset as returns_set, p.provolatile as volatility,
         p.prorettype = 'pg_catalog.void'::regtype as returns_void,
         (t.typtype = 'c' or p.prorettype = 'pg_catalog.record'::regtype) as returns_composite,
         p.pronargdefaults as n_defaults,
         coalesce((
           select json_agg(json_build_object('name', coalesce(x.name, ''), 'type', format_type(x.type, null)) order by x.ord)
           from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes)
                with ordinality as x(type, name, mode, ord)
           where x.type is not null and coalesce(x.mode, 'i') in ('i', 'b', 'v')
         ), '[]') as args
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  join pg_catalog.pg_type t on t.oid = p.prorettype
  where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`;

export async function findFunctions(client: pg.ClientBase, schema: string, name: string): Promise<FunctionInfo[]> {
  const r = await client.query<{
    returns_set: boolean;
    volatility: 'i' | 's' | 'v';
    returns_void: boolean;
    returns_composite: boolean;
    n_defaults: number;
    args: Array<{ name: string; type: string }>;
  }>(FUNCTION_SQL, [schema, name]);
  return r.rows.map((row) => {
    const firstDefault = row.args.length - row.n_defaults;
    return {
      schema,
      name,
      args: row.args.map((a, i) => ({ name: a.name, type: a.type, hasDefault: i >= firstDefault })),
      returnsSet: row.returns_set,
      returnsVoid: row.returns_void,
      returnsComposite: row.returns_composite,
      volatility: row.volatility,
    };
  });
}
