import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrl } from '../support/db.ts';
import { connectFreshDatabase } from './connect.ts';
import { BOOTSTRAP_SQL, MIGRATIONS_DIR, createDatabaseFrom, migrationFiles } from '../support/postgres.ts';

let db: pg.Client;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
});
afterAll(async () => {
  await db?.end();
});

async function rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await db.query<T>(sql, params)).rows;
}

const SCHEMAS = ['public', 'metricdrop_private'];

/** The catalog lints of Supabase's database linter, splinter (0003, 0007, 0008, 0010, 0011, 0013, 0028), as queries. */
const LINT = {
  tablesWithoutRls: `select n.nspname || '.' || c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any($1) and c.relkind in ('r','p') and not c.relrowsecurity order by 1`,
  publicTablesWithoutPolicy: `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r','p') and not exists (select 1 from pg_policy p where p.polrelid = c.oid) order by 1`,
  viewsWithoutInvoker: `select n.nspname || '.' || c.relname as v from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = any($1) and c.relkind in ('v','m')
      and not coalesce(c.reloptions @> array['security_invoker=true'] or c.reloptions @> array['security_invoker=on'], false) order by 1`,
  definerWithoutSearchPath: `select p.oid::regprocedure::text as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any($1) and p.prosecdef and not coalesce(p.proconfig @> array['search_path=""'], false) order by 1`,
  functionsAnonCanRun: `select p.oid::regprocedure::text as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = any($1) and has_function_privilege('anon', p.oid, 'EXECUTE') order by 1`,
};

describe('catalog: row level security', () => {
  it('is on for every table, in public and in the private schema', async () => {
    expect(await rows(LINT.tablesWithoutRls, [SCHEMAS])).toEqual([]);
    const all = await rows<{ t: string }>(
      `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    );
    expect(all.map((r) => r.t)).toEqual([
      'ad_sets',
      'ads',
      'campaigns',
      'clients',
      'daily_metrics',
      'data_uploads',
      'staging_entities',
      'staging_id_resolution',
      'staging_rows',
      'upload_dimension_steps',
      'upload_fact_batches',
      'upload_ledger',
      'upload_stage_batches',
      'workspace_members',
      'workspaces',
    ]);
  });

  it('the lint catches a table with RLS off (the query is not vacuous)', async () => {
    await db.query('begin');
    await db.query('create table public.lint_probe (id int)');
    expect(await rows(LINT.tablesWithoutRls, [SCHEMAS])).toEqual([{ t: 'public.lint_probe' }]);
    expect(await rows(LINT.publicTablesWithoutPolicy)).toEqual([{ t: 'lint_probe' }]);
    await db.query('rollback');
  });

  it('every table in public has exactly the intended policies, one per operation, all to authenticated', async () => {
    const policies = await rows<{ t: string; cmd: string; roles: string[]; name: string }>(
      `select c.relname as t, p.polcmd::text as cmd, array(select rolname from pg_roles r where r.oid = any (p.polroles) order by 1)::text[] as roles,
              p.polname as name
       from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' order by 1, 2`,
    );
    const byTable: Record<string, string> = {};
    for (const p of policies) {
      expect(p.roles, p.name).toEqual(['authenticated']);
      expect(p.name, 'sentence-style names').toMatch(/^[A-Z][a-z]+ .+[a-z]$/);
      byTable[p.t] = (byTable[p.t] ?? '') + p.cmd;
    }
    // r = select, a = insert, w = update, d = delete (pg_policy.polcmd)
    expect(byTable).toEqual({
      ad_sets: 'r',
      ads: 'r',
      campaigns: 'r',
      daily_metrics: 'r',
      data_uploads: 'r',
      staging_entities: 'r',
      staging_id_resolution: 'r',
      staging_rows: 'r',
      upload_dimension_steps: 'r',
      upload_fact_batches: 'r',
      upload_ledger: 'r',
      upload_stage_batches: 'r',
      clients: 'arw',
      workspace_members: 'adrw',
      workspaces: 'rw',
    });
  });

  it('policies call auth.uid() once per statement, as (select auth.uid()), and each policy column leads an index', async () => {
    const policies = await rows<{ t: string; name: string; expr: string }>(
      `select c.relname as t, p.polname as name,
              concat_ws(' ', pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)) as expr
       from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public'`,
    );
    expect(policies.length).toBeGreaterThan(14);
    for (const p of policies) {
      const calls = p.expr.match(/auth\.uid\(\)/g) ?? [];
      const wrapped = p.expr.match(/\( SELECT auth\.uid\(\) AS uid\)/g) ?? [];
      expect(calls.length, p.name).toBeGreaterThan(0);
      expect(wrapped.length, `${p.name}: ${p.expr}`).toBe(calls.length);
      const column = /^\(?(\w+) IN \(/.exec(p.expr)?.[1];
      expect(column, p.expr).toBeDefined();
      const leading = await rows(
        `select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
         where i.indrelid = ('public.' || $1)::regclass and a.attname = $2`,
        [p.t, column],
      );
      expect(leading.length, `${p.t}.${column} leads no index`).toBeGreaterThan(0);
    }
  });

  it('no view in an exposed schema bypasses RLS (security_invoker), and the lint would see one', async () => {
    expect(await rows(LINT.viewsWithoutInvoker, [SCHEMAS])).toEqual([]);
    await db.query('begin');
    await db.query('create view public.probe_v as select id from public.workspaces');
    await db.query('create view public.probe_ok with (security_invoker = true) as select id from public.workspaces');
    expect(await rows(LINT.viewsWithoutInvoker, [SCHEMAS])).toEqual([{ v: 'public.probe_v' }]);
    await db.query('rollback');
  });
});

describe('catalog: functions', () => {
  it('every SECURITY DEFINER function pins search_path to empty; no function is executable by anon', async () => {
    expect(await rows(LINT.definerWithoutSearchPath, [SCHEMAS])).toEqual([]);
    expect(await rows(LINT.functionsAnonCanRun, [SCHEMAS])).toEqual([]);
    const definers = await rows<{ f: string }>(
      `select p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and p.prosecdef order by 1`,
      [SCHEMAS],
    );
    expect(definers.map((d) => d.f)).toEqual([
      'begin_upload',
      'cleanup_staging',
      'fail_upload',
      'finish_upload',
      'note_upload_mapping',
      'preflight',
      'promote_upload',
      'resolve_dimensions',
      'stage_batch',
      'stage_rows',
      'upload_progress',
      'workspaces_of',
      'write_facts',
    ]);
  });

  it('the lints see a definer function without a fixed search path, or executable by anon', async () => {
    await db.query('begin');
    await db.query(`create function public.probe() returns int language sql security definer as 'select 1'`);
    expect(await rows(LINT.definerWithoutSearchPath, [SCHEMAS])).toEqual([{ f: 'probe()' }]);
    expect(await rows(LINT.functionsAnonCanRun, [SCHEMAS])).toEqual([{ f: 'probe()' }]); // PUBLIC holds EXECUTE by default
    await db.query('rollback');
  });

  it('fit on one screen (60 lines)', async () => {
    // Split a longer function into private helpers, one per step (as preflight(), 072, begin_upload, 073,
    // and first_row_problem and stage_rows, 091).
    const long = await rows<{ f: string; lines: number }>(
      `select p.proname as f, array_length(string_to_array(btrim(p.prosrc, E'\\n '), E'\\n'), 1) as lines
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = any($1) order by 1`,
      [SCHEMAS],
    );
    expect(long.length).toBeGreaterThan(50);
    expect(long.filter((l) => l.lines > 60)).toEqual([]);
  });

  it('every function in public and the private schema pins its search_path', async () => {
    const loose = await rows(
      `select p.oid::regprocedure::text as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and not coalesce(p.proconfig @> array['search_path=""'], false)`,
      [SCHEMAS],
    );
    expect(loose).toEqual([]);
  });

  it('are the functions supabase/README.md says are defined now, each name once (the table keys them by name)', async () => {
    const inDb = await rows<{ f: string; overloads: number }>(
      `select n.nspname || '.' || p.proname as f, count(*)::int as overloads
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1)
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       group by 1 order by 1`,
      [SCHEMAS],
    );
    expect(inDb.length).toBeGreaterThan(50);
    expect(inDb.filter((r) => r.overloads > 1)).toEqual([]);
    const readme = readFileSync(join(MIGRATIONS_DIR, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('\n## Where each function is defined now\n'));
    const defined = [...table.slice(0, table.indexOf('\n## ', 1)).matchAll(/^\| `([a-z_]+\.[a-z0-9_]+)` \| (?!dropped)/gm)].map(
      (m) => m[1]!,
    );
    expect(inDb.map((r) => r.f).sort()).toEqual(defined.sort());
  });
});

describe('catalog: value lists are asked for, not written out (070, 091, 092)', () => {
  /** The value lists: every immutable private function without arguments returning text[], and its values. */
  async function valueLists(): Promise<{ oid: number; f: string; values: string[] }[]> {
    const fns = await rows<{ oid: number; f: string }>(
      `select p.oid::int as oid, p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'metricdrop_private' and p.pronargs = 0 and p.provolatile = 'i' and p.prorettype = 'text[]'::regtype
       order by 2`,
    );
    const lists = [];
    for (const { oid, f } of fns) {
      const values = (await rows<{ v: string[] }>(`select metricdrop_private.${f}() as v`))[0]!.v;
      lists.push({ oid, f, values });
    }
    return lists;
  }

  /**
   * Each list of two or more quoted words a definition writes: `in ('a', 'b')`, `array['a', 'b']`
   * (also with the doubled quotes of a statement built as text, and with casts) and `'{a,b}'`.
   */
  function literalLists(def: string): string[][] {
    const word = String.raw`'{1,2}([A-Za-z_][A-Za-z0-9_]*)'{1,2}(?:::[a-z_.]+)?`;
    const listed = new RegExp(String.raw`[(\[]\s*${word}(?:\s*,\s*${word})+\s*[)\]]`, 'g');
    const lists = [...def.matchAll(listed)].map((m) => [...m[0].matchAll(new RegExp(word, 'g'))].map((w) => w[1]!));
    const braced = [...def.matchAll(/'\{([A-Za-z_][A-Za-z0-9_]*(?:\s*,\s*[A-Za-z_][A-Za-z0-9_]*)+)\}'/g)];
    return [...lists, ...braced.map((m) => m[1]!.split(',').map((w) => w.trim()))];
  }

  /** Each place a current definition (as the database holds it) writes out the values of a value list. */
  async function writtenOut(): Promise<string[]> {
    const lists = await valueLists();
    const key = (values: string[]) => [...new Set(values)].sort().join(',');
    const byValues = new Map(lists.map((l) => [key(l.values), l.f]));
    const defs = await rows<{ oid: number; f: string; def: string }>(
      `select p.oid::int as oid, n.nspname || '.' || p.proname as f, pg_get_functiondef(p.oid) as def
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and p.prokind = 'f'
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 2`,
      [SCHEMAS],
    );
    const own = new Set(lists.map((l) => l.oid));
    return defs
      .filter((d) => !own.has(d.oid))
      .flatMap((d) =>
        literalLists(d.def)
          .filter((values) => byValues.has(key(values)))
          .map((values) => `${d.f} writes (${values.join(', ')}): ask metricdrop_private.${byValues.get(key(values))}()`),
      );
  }

  it('no current function definition writes out a status list, or another value list, it can ask for', async () => {
    const lists = await valueLists();
    expect(Object.fromEntries(lists.filter((l) => l.f.endsWith('_statuses')).map((l) => [l.f, l.values]))).toEqual({
      active_upload_statuses: ['pending', 'staging', 'staged', 'committing'],
      fact_writing_upload_statuses: ['staging', 'committing'],
      staging_upload_statuses: ['pending', 'staging'],
      unfinished_upload_statuses: ['pending', 'staging', 'committing'],
      upload_statuses: ['pending', 'staging', 'staged', 'committing', 'completed', 'failed', 'expired'],
    });
    expect(lists.map((l) => l.f)).toEqual(expect.arrayContaining(['entity_types', 'platforms', 'upload_modes', 'workspace_roles']));
    expect(await writtenOut()).toEqual([]);
  });

  it('the check sees a list written out in any of its forms and orders (it is not vacuous)', async () => {
    await db.query('begin');
    try {
      await db.query(`create function public.probe_lists(p_status text, p_type text) returns boolean language sql
        set search_path = '' as $$
          select p_status in ('committing', 'staging') or p_status = any (array['pending'::text, 'staging'])
            or p_type = any ('{campaign,ad_set,ad}') or p_status in ('failed', 'expired')
            or format('%s', 'x in (''staging'', ''pending'', ''committing'')') = ''
        $$`);
      expect(await writtenOut()).toEqual([
        'public.probe_lists writes (committing, staging): ask metricdrop_private.fact_writing_upload_statuses()',
        'public.probe_lists writes (pending, staging): ask metricdrop_private.staging_upload_statuses()',
        'public.probe_lists writes (staging, pending, committing): ask metricdrop_private.unfinished_upload_statuses()',
        'public.probe_lists writes (campaign, ad_set, ad): ask metricdrop_private.entity_types()',
      ]);
    } finally {
      await db.query('rollback');
    }
  });
});

describe('catalog: patterns are asked for, not written out (093)', () => {
  /** The patterns (and any other text constant): every immutable private function without arguments returning text. */
  async function textConstants(): Promise<{ oid: number; f: string; value: string }[]> {
    const fns = await rows<{ oid: number; f: string }>(
      `select p.oid::int as oid, p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'metricdrop_private' and p.pronargs = 0 and p.provolatile = 'i' and p.prorettype = 'text'::regtype
       order by 2`,
    );
    const constants = [];
    for (const { oid, f } of fns) {
      const value = (await rows<{ v: string }>(`select metricdrop_private.${f}() as v`))[0]!.v;
      constants.push({ oid, f, value });
    }
    return constants;
  }

  /**
   * Each place a current definition (as the database holds it) writes out the text one of those
   * functions returns, as a string literal: `'…'`, which is also inside a statement built as text (`''…''`).
   */
  async function patternsWrittenOut(): Promise<string[]> {
    const constants = await textConstants();
    const defs = await rows<{ oid: number; f: string; def: string }>(
      `select p.oid::int as oid, n.nspname || '.' || p.proname as f, pg_get_functiondef(p.oid) as def
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = any($1) and p.prokind = 'f'
         and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       order by 2`,
      [SCHEMAS],
    );
    const own = new Set(constants.map((c) => c.oid));
    return defs
      .filter((d) => !own.has(d.oid))
      .flatMap((d) =>
        constants
          .filter((c) => d.def.includes(`'${c.value.replaceAll("'", "''")}'`))
          .map((c) => `${d.f} writes '${c.value}': ask metricdrop_private.${c.f}()`),
      );
  }

  /**
   * Each place a table's or a domain's check (in public or the private schema) writes out the text
   * one of those functions returns, as a string literal (094).
   */
  async function patternsInChecks(): Promise<string[]> {
    const constants = await textConstants();
    const checks = await rows<{ c: string; def: string }>(
      `select case when k.contypid <> 0 then 'domain ' || k.contypid::regtype::text else k.conrelid::regclass::text end
              || ' ' || k.conname as c, pg_get_constraintdef(k.oid) as def
       from pg_constraint k join pg_namespace n on n.oid = k.connamespace
       where n.nspname = any($1) and k.contype = 'c' order by 1`,
      [SCHEMAS],
    );
    return checks.flatMap((k) =>
      constants
        .filter((c) => k.def.includes(`'${c.value.replaceAll("'", "''")}'`))
        .map((c) => `${k.c} writes '${c.value}': ask metricdrop_private.${c.f}()`),
    );
  }

  it('no current function definition writes out a pattern it can ask for', async () => {
    const patterns = Object.fromEntries((await textConstants()).map((c) => [c.f, c.value]));
    expect(patterns).toMatchObject({
      count_pattern: '^(0|[1-9][0-9]*)$',
      currency_pattern: '^[A-Z]{3}$',
      decimal_pattern: String.raw`^(0|[1-9][0-9]*)(\.[0-9]+)?$`,
      migration_version_pattern: '^[0-9]{3}$',
      packed_index_pattern: '^[0-9]{1,6}$',
      row_number_pattern: '^[1-9][0-9]{0,8}$',
      sha256_pattern: '^[0-9a-f]{64}$',
    });
    expect(await patternsWrittenOut()).toEqual([]);
  });

  it('no table or domain check writes out a pattern it can ask for; the currency, SHA-256 and version columns ask through domains (094)', async () => {
    expect(await patternsInChecks()).toEqual([]);
    const asked = await rows<{ col: string; check: string }>(
      `select a.attrelid::regclass::text || '.' || a.attname as col, pg_get_constraintdef(k.oid) as check
       from pg_attribute a join pg_constraint k on k.contypid = a.atttypid
       where a.attrelid = any (array['public.clients', 'public.upload_ledger', 'public.data_uploads',
                                      'metricdrop_private.schema_versions']::regclass[])
         and a.attname in ('currency', 'file_sha256', 'version') order by 1`,
    );
    expect(asked).toEqual([
      { col: 'clients.currency', check: 'CHECK ((VALUE ~ metricdrop_private.currency_pattern()))' },
      { col: 'data_uploads.file_sha256', check: 'CHECK ((VALUE ~ metricdrop_private.sha256_pattern()))' },
      { col: 'metricdrop_private.schema_versions.version', check: 'CHECK ((VALUE ~ metricdrop_private.migration_version_pattern()))' },
      { col: 'upload_ledger.currency', check: 'CHECK ((VALUE ~ metricdrop_private.currency_pattern()))' },
    ]);
  });

  it('the check of table and domain checks sees a pattern written out (it is not vacuous)', async () => {
    await db.query('begin');
    try {
      await db.query(
        `create table public.probe_checks (c char(3) check (c ~ '^[A-Z]{3}$'), d text, constraint probe_d check (d ~ '^[0-9]{3}$'))`,
      );
      await db.query(`create domain metricdrop_private.probe_hex as text check (value ~ '^[0-9a-f]{64}$') check (value ~ '^[0-9a-f]{64}')`);
      expect(await patternsInChecks()).toEqual([
        "domain metricdrop_private.probe_hex probe_hex_check writes '^[0-9a-f]{64}$': ask metricdrop_private.sha256_pattern()",
        "probe_checks probe_checks_c_check writes '^[A-Z]{3}$': ask metricdrop_private.currency_pattern()",
        "probe_checks probe_d writes '^[0-9]{3}$': ask metricdrop_private.migration_version_pattern()",
      ]);
    } finally {
      await db.query('rollback');
    }
  });

  it('the check sees a pattern written out, also in a statement built as text (it is not vacuous)', async () => {
    await db.query('begin');
    try {
      await db.query(String.raw`create function public.probe_patterns(p text) returns boolean language sql
        set search_path = '' as $$
          select p ~ '^[A-Z]{3}$' or p !~ '^(0|[1-9][0-9]*)(\.[0-9]+)?$'
            or format('select %L ~ ''^[1-9][0-9]{0,8}$''', p) = ''
            or p ~ '^[A-Z]{3}' or p ~ '^[0-9]{1,6}$ '
        $$`);
      expect(await patternsWrittenOut()).toEqual([
        "public.probe_patterns writes '^[A-Z]{3}$': ask metricdrop_private.currency_pattern()",
        String.raw`public.probe_patterns writes '^(0|[1-9][0-9]*)(\.[0-9]+)?$': ask metricdrop_private.decimal_pattern()`,
        "public.probe_patterns writes '^[1-9][0-9]{0,8}$': ask metricdrop_private.row_number_pattern()",
      ]);
    } finally {
      await db.query('rollback');
    }
  });
});

describe('catalog: the data contract', () => {
  async function columns(table: string) {
    // A domain column (071) shows its base type, as information_schema, PostgREST and supabase-js see it
    // (with the domain's length: clients.currency's domain is over character(3), 094).
    return await rows<{ name: string; type: string; nullable: boolean }>(
      `select a.attname as name,
              format_type(case when t.typtype = 'd' then t.typbasetype else a.atttypid end,
                          case when t.typtype = 'd' then t.typtypmod else a.atttypmod end) as type,
              not a.attnotnull as nullable
       from pg_attribute a join pg_type t on t.oid = a.atttypid
       where a.attrelid = ('public.' || $1)::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`,
      [table],
    );
  }

  it('daily_metrics has the 14 columns, in order, with their types', async () => {
    expect(await columns('daily_metrics')).toEqual([
      { name: 'id', type: 'uuid', nullable: false },
      { name: 'workspace_id', type: 'uuid', nullable: false },
      { name: 'client_id', type: 'uuid', nullable: false },
      { name: 'platform', type: 'text', nullable: false },
      { name: 'date', type: 'date', nullable: false },
      { name: 'campaign_id', type: 'uuid', nullable: false },
      { name: 'ad_set_id', type: 'uuid', nullable: true },
      { name: 'ad_id', type: 'uuid', nullable: true },
      { name: 'impressions', type: 'bigint', nullable: false },
      { name: 'clicks', type: 'bigint', nullable: false },
      { name: 'spend', type: 'numeric', nullable: false },
      { name: 'conversions', type: 'numeric', nullable: false },
      { name: 'conversion_value', type: 'numeric', nullable: false },
      { name: 'upload_id', type: 'uuid', nullable: false },
    ]);
  });

  it('data_uploads has the 12 columns, in order', async () => {
    expect((await columns('data_uploads')).map((c) => `${c.name} ${c.type}`)).toEqual([
      'id uuid',
      'workspace_id uuid',
      'client_id uuid',
      'platform text',
      'uploaded_by uuid',
      'file_name text',
      'file_sha256 text',
      'mode text',
      'status text',
      'row_count integer',
      'summary jsonb',
      'created_at timestamp with time zone',
    ]);
  });

  it('tenancy, dimensions and staging have the contract columns', async () => {
    const names = async (t: string) => (await columns(t)).map((c) => c.name);
    expect(await names('workspaces')).toEqual(['id', 'name', 'created_at']);
    expect(await names('workspace_members')).toEqual(['workspace_id', 'user_id', 'role', 'created_at']);
    expect(await columns('clients')).toContainEqual({ name: 'currency', type: 'character(3)', nullable: false });
    const dim = ['id', 'workspace_id', 'client_id', 'platform', 'external_id', 'name', 'created_at', 'updated_at'];
    expect(await names('campaigns')).toEqual(dim);
    expect((await names('ad_sets')).sort()).toEqual([...dim, 'campaign_id'].sort());
    expect((await names('ads')).sort()).toEqual([...dim, 'ad_set_id'].sort());
    expect(await names('staging_rows')).toEqual(['workspace_id', 'upload_id', 'row_number', 'payload', 'created_at']);
    expect(await names('staging_id_resolution')).toEqual([
      'workspace_id',
      'upload_id',
      'entity_type',
      'external_id',
      'resolved_id',
      'action',
      'created_at',
    ]);
  });

  it('keys: natural keys, the fact grain with NULLS NOT DISTINCT, staging uniques', async () => {
    const uniques = await rows<{ t: string; cols: string; nnd: boolean }>(
      `select c.relname as t, pg_get_indexdef(i.indexrelid) ~ 'NULLS NOT DISTINCT' as nnd,
              (select string_agg(a.attname, ',' order by k.ord) from unnest(i.indkey::smallint[]) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum) as cols
       from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and i.indisunique order by 1, 3`,
    );
    const has = (t: string, cols: string, nnd = false) => expect(uniques).toContainEqual({ t, cols, nnd });
    for (const t of ['campaigns', 'ad_sets', 'ads']) has(t, 'workspace_id,client_id,platform,external_id');
    has('daily_metrics', 'workspace_id,client_id,platform,date,campaign_id,ad_set_id,ad_id', true);
    has('staging_rows', 'upload_id,row_number');
    has('staging_id_resolution', 'upload_id,entity_type,external_id');
    has('workspace_members', 'workspace_id,user_id');
    has('clients', 'workspace_id,name');
  });

  it('checks refuse negative metrics, unknown platforms, statuses, modes and roles even for the owner of the tables', async () => {
    const ws = (await rows<{ id: string }>(`insert into workspaces (name) values ('Checks') returning id`))[0]!.id;
    const cl = (
      await rows<{ id: string }>(`insert into clients (workspace_id, name, currency) values ($1, 'C', 'USD') returning id`, [ws])
    )[0]!.id;
    const camp = (
      await rows<{ id: string }>(
        `insert into campaigns (workspace_id, client_id, platform, external_id, name) values ($1, $2, 'meta', '1', 'C') returning id`,
        [ws, cl],
      )
    )[0]!.id;
    const up = (
      await rows<{ id: string }>(
        `insert into data_uploads (id, workspace_id, client_id, platform, uploaded_by, file_name, file_sha256, mode, row_count)
       values (gen_random_uuid(), $1, $2, 'meta', gen_random_uuid(), 'f.csv', repeat('a', 64), 'COMMIT', 1) returning id`,
        [ws, cl],
      )
    )[0]!.id;
    const fact = (over: string) =>
      db.query(
        `insert into daily_metrics (workspace_id, client_id, platform, date, campaign_id, impressions, clicks, spend, conversions, conversion_value, upload_id)
         select $1, $2, 'meta', '2024-01-01', $3, 1, 1, 1, 1, 1, $4 from (select 1) x ${over}`,
        [ws, cl, camp, up],
      );
    await fact('');
    for (const [sql, code] of [
      [`update daily_metrics set spend = -0.01 where upload_id = '${up}'`, '23514'],
      [`update daily_metrics set impressions = -1 where upload_id = '${up}'`, '23514'],
      [`update daily_metrics set conversions = -1 where upload_id = '${up}'`, '23514'],
      [`update daily_metrics set platform = 'bing' where upload_id = '${up}'`, '23514'],
      [`update data_uploads set status = 'done' where id = '${up}'`, '23514'],
      [`update data_uploads set mode = 'LIVE' where id = '${up}'`, '23514'],
      [`update data_uploads set row_count = 100001 where id = '${up}'`, '23514'],
      [`update clients set currency = 'usd' where id = '${cl}'`, '23514'],
      [`update data_uploads set file_sha256 = upper(file_sha256) where id = '${up}'`, '23514'],
      [`update campaigns set platform = 'snap' where id = '${camp}'`, '23514'],
    ] as const) {
      const err = await db.query(sql).then(
        () => null,
        (e: { code: string }) => e.code,
      );
      expect(err, sql).toBe(code);
    }
    // the same grain twice, with ad set and ad null, is one row (NULLS NOT DISTINCT)
    const dup = await fact('').then(
      () => null,
      (e: { code: string }) => e.code,
    );
    expect(dup).toBe('23505');
  });
});

describe('catalog: enumerations and lengths are domains (071)', () => {
  it('each such column takes its domain over text (a currency over character(3), 094), and no table check repeats a list of values', async () => {
    const cols = await rows<{ col: string; domain: string; base: string; check: string }>(
      `select c.relname || '.' || a.attname as col, t.typname as domain, format_type(t.typbasetype, null) as base,
              (select string_agg(pg_get_constraintdef(k.oid), ' and ') from pg_constraint k where k.contypid = t.oid) as check
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
       join pg_type t on t.oid = a.atttypid
       where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and t.typtype = 'd'
       order by 1`,
    );
    expect(Object.fromEntries(cols.map((c) => [c.col, c.domain]))).toEqual({
      'ad_sets.external_id': 'external_id',
      'ad_sets.name': 'entity_name',
      'ad_sets.platform': 'platform',
      'ads.external_id': 'external_id',
      'ads.name': 'entity_name',
      'ads.platform': 'platform',
      'clients.currency': 'currency_code',
      'campaigns.external_id': 'external_id',
      'campaigns.name': 'entity_name',
      'campaigns.platform': 'platform',
      'daily_metrics.platform': 'platform',
      'data_uploads.file_sha256': 'sha256_hex',
      'data_uploads.mode': 'upload_mode',
      'data_uploads.platform': 'platform',
      'data_uploads.status': 'upload_status',
      'staging_id_resolution.action': 'resolution_action',
      'staging_id_resolution.entity_type': 'entity_type',
      'upload_dimension_steps.entity_type': 'entity_type',
      'upload_ledger.currency': 'currency_code',
      'upload_ledger.level': 'entity_type',
      'workspace_members.role': 'workspace_role',
    });
    for (const c of cols) {
      expect(c.base, c.col).toBe(c.domain === 'currency_code' ? 'character' : 'text');
      // each domain's one check asks its list, its limit or its pattern (070, 093, 094), written nowhere else
      expect(c.check, c.col).toMatch(/^CHECK \(.*metricdrop_private\.[a-z0-9_]+\(\).*\)$/);
    }
    const listed = await rows<{ c: string }>(
      `select conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) as c from pg_constraint
       where connamespace = 'public'::regnamespace and contype = 'c' and pg_get_constraintdef(oid) ~ 'ANY \\(ARRAY\\[' order by 1`,
    );
    expect(listed).toEqual([]);
  });

  it('the private helpers that take a role or an entity type take its domain (074), and refuse a misspelt one', async () => {
    const sigs = await rows<{ f: string }>(
      `select p.oid::regprocedure::text as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'metricdrop_private' and p.proname in ('role_rank', 'require_role', 'entity_rank') order by 1`,
    );
    expect(sigs.map((r) => r.f)).toEqual([
      'metricdrop_private.entity_rank(metricdrop_private.entity_type)',
      'metricdrop_private.require_role(uuid,metricdrop_private.workspace_role)',
      'metricdrop_private.role_rank(metricdrop_private.workspace_role)',
    ]);
    expect((await rows(`select metricdrop_private.role_rank('admin') as r, metricdrop_private.entity_rank('ad_set') as e`))[0]).toEqual({
      r: 3,
      e: 2,
    });
    const misspelt = await db.query(`select metricdrop_private.role_rank('memebr')`).then(
      () => null,
      (e: { code: string }) => e.code,
    );
    expect(misspelt).toBe('23514');
  });

  it('a value off the list is refused by the domain, whoever writes it', async () => {
    const ws = (await rows<{ id: string }>(`insert into workspaces (name) values ('Domains') returning id`))[0]!.id;
    const cl = (
      await rows<{ id: string }>(`insert into clients (workspace_id, name, currency) values ($1, 'D', 'EUR') returning id`, [ws])
    )[0]!.id;
    const insert = (platform: string, externalId: string, name: string) =>
      db
        .query(`insert into campaigns (workspace_id, client_id, platform, external_id, name) values ($1, $2, $3, $4, $5)`, [
          ws,
          cl,
          platform,
          externalId,
          name,
        ])
        .then(
          () => 'kept',
          (e: { code: string; message: string }) => `${e.code} ${e.message}`,
        );
    expect(await insert('tiktok', 'x'.repeat(64), 'n'.repeat(1024))).toBe('kept');
    expect(await insert('snapchat', '2', 'N')).toMatch(/^23514 .*domain metricdrop_private\.platform/);
    expect(await insert('meta', 'x'.repeat(65), 'N')).toMatch(/^23514 .*external_id/);
    expect(await insert('meta', '', 'N')).toMatch(/^23514 .*external_id/);
    expect(await insert('meta', '3', 'n'.repeat(1025))).toMatch(/^23514 .*entity_name/);
  });
});

describe('catalog: migrations', () => {
  it('are numbered NNN_name.sql, each recorded in schema_versions', async () => {
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(files).toEqual(migrationFiles());
    expect(files).toContain('008_staging_tables.sql');
    const recorded = await rows<{ v: string }>(
      "select version || '_' || name || '.sql' as v from metricdrop_private.schema_versions order by version",
    );
    expect(recorded.map((r) => r.v)).toEqual(files);
  });

  it('record their version one way: each file once, its own number and name (before 070 by its insert, from 070 by record_migration)', () => {
    const SINCE = '070';
    for (const f of migrationFiles()) {
      const [, version, name] = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(f)!;
      // the statements, without comments
      const sql = readFileSync(join(MIGRATIONS_DIR, f), 'utf8').replace(/--.*$/gm, '').trim();
      const inserts = [...sql.matchAll(/insert\s+into\s+metricdrop_private\.schema_versions\b[^;]*/gi)].map((m) => m[0]);
      const calls = [...sql.matchAll(/metricdrop_private\.record_migration\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)/g)];
      expect(sql, `${f} changes no recorded version`).not.toMatch(/(update|delete\s+from)\s+metricdrop_private\.schema_versions/i);
      if (version! < SINCE) {
        expect(calls, f).toEqual([]);
        expect(inserts, f).toEqual([`insert into metricdrop_private.schema_versions (version, name) values ('${version}', '${name}')`]);
        expect(sql.endsWith(`${inserts[0]};`), `${f} records itself last`).toBe(true);
      } else {
        const how = `${f} must end with: select metricdrop_private.record_migration('${version}', '${name}'); (supabase/README.md, Writing a migration)`;
        expect(
          calls.map((c) => `${c[1]}_${c[2]}`),
          how,
        ).toEqual([`${version}_${name}`]);
        expect(sql.endsWith(`select metricdrop_private.record_migration('${version}', '${name}');`), how).toBe(true);
        // the only insert from 070 on is record_migration's own, in the files that define it (070, 094)
        const definesRecorder = /create\s+(or\s+replace\s+)?function\s+metricdrop_private\.record_migration\s*\(/i.test(sql);
        expect(definesRecorder || version !== SINCE, `${f} defines record_migration`).toBe(true);
        expect(inserts, how).toEqual(
          definesRecorder ? ['insert into metricdrop_private.schema_versions (version, name) values (p_version, p_name)'] : [],
        );
      }
    }
  });

  it('record_migration refuses a number recorded already and a name that is not a file name', async () => {
    const fails = (sql: string) =>
      db.query(`begin; ${sql}`).then(
        () => null,
        (e: { message: string }) => e.message,
      );
    try {
      expect(await fails(`select metricdrop_private.record_migration('070', 'again')`)).toMatch(/duplicate key/);
    } finally {
      await db.query('rollback');
    }
    try {
      expect(await fails(`select metricdrop_private.record_migration('99', 'short')`)).toMatch(/file name NNN_name\.sql/);
    } finally {
      await db.query('rollback');
    }
    try {
      expect(await fails(`select metricdrop_private.record_migration('099', 'Has Spaces')`)).toMatch(/file name NNN_name\.sql/);
    } finally {
      await db.query('rollback');
    }
  });

  it('create, change and grant nothing in the auth schema', async () => {
    const name = `t_auth_${randomBytes(4).toString('hex')}`;
    await createDatabaseFrom(adminUrl(), name, 'template1');
    const c = new pg.Client({ connectionString: adminUrl(name) });
    await c.connect();
    const snapshot = async () =>
      (
        await c.query(`
          select 'rel ' || c.relname || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '') as o
          from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'auth'
          union all
          select 'fn ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc) || ' ' || coalesce(p.proacl::text, '')
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'auth'
          union all
          -- internal triggers excepted: PostgreSQL adds them to auth.users for workspace_members.user_id's
          -- foreign key, as for any table referencing auth.users
          select 'trg ' || t.tgname from pg_trigger t join pg_class c on c.oid = t.tgrelid
          join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'auth' and not t.tgisinternal
          union all
          select 'ns ' || coalesce(nspacl::text, '') from pg_namespace where nspname = 'auth'
          order by 1`)
      ).rows.map((r) => r.o as string);
    try {
      await c.query(readFileSync(BOOTSTRAP_SQL, 'utf8'));
      const before = await snapshot();
      for (const f of migrationFiles()) await c.query(readFileSync(join(MIGRATIONS_DIR, f), 'utf8'));
      expect(await snapshot()).toEqual(before);
    } finally {
      await c.end();
    }
  });
});
