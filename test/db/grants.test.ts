import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';

let db: pg.Client;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
});
afterAll(async () => {
  await db?.end();
});

const ROLES = ['anon', 'authenticated', 'service_role'] as const;
const PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

/**
 * The checked-in expectation: what each API role may do to each table of public. "UPDATE(name)" is
 * a column grant. Everything not listed is refused with 42501 before RLS is even asked.
 */
const EXPECTED_TABLES: Record<string, Record<(typeof ROLES)[number], string[]>> = {
  workspaces: { anon: [], authenticated: ['SELECT', 'UPDATE(name)'], service_role: [] },
  workspace_members: {
    anon: [],
    authenticated: ['SELECT', 'INSERT(role,user_id,workspace_id)', 'UPDATE(role)', 'DELETE'],
    service_role: [],
  },
  clients: { anon: [], authenticated: ['SELECT', 'INSERT(currency,id,name,workspace_id)', 'UPDATE(name)'], service_role: [] },
  campaigns: { anon: [], authenticated: ['SELECT'], service_role: [] },
  ad_sets: { anon: [], authenticated: ['SELECT'], service_role: [] },
  ads: { anon: [], authenticated: ['SELECT'], service_role: [] },
  daily_metrics: { anon: [], authenticated: ['SELECT'], service_role: [] },
  data_uploads: { anon: [], authenticated: ['SELECT'], service_role: [] },
  staging_rows: { anon: [], authenticated: ['SELECT'], service_role: [] },
  staging_id_resolution: { anon: [], authenticated: ['SELECT'], service_role: [] },
  staging_entities: { anon: [], authenticated: ['SELECT'], service_role: [] },
  upload_ledger: { anon: [], authenticated: ['SELECT'], service_role: [] },
  upload_stage_batches: { anon: [], authenticated: ['SELECT'], service_role: [] },
  upload_dimension_steps: { anon: [], authenticated: ['SELECT'], service_role: [] },
  upload_fact_batches: { anon: [], authenticated: ['SELECT'], service_role: [] },
};

/** EXECUTE on the functions of public: the ingest RPCs for users, the cleanup for the service role. */
const EXPECTED_FUNCTIONS: Record<string, string[]> = {
  'begin_upload(uuid,uuid,uuid,text,text,text,text,bigint,integer,text,text,text)': ['authenticated'],
  'stage_rows(uuid,integer,jsonb)': ['authenticated'],
  'stage_batch(uuid,integer,jsonb)': ['authenticated'],
  'resolve_dimensions(uuid,text)': ['authenticated'],
  'write_facts(uuid,integer)': ['authenticated'],
  'finish_upload(uuid)': ['authenticated'],
  'note_upload_mapping(uuid,jsonb)': ['authenticated'],
  'fail_upload(uuid,text,text,text)': ['authenticated'],
  'promote_upload(uuid)': ['authenticated'],
  'upload_progress(uuid)': ['authenticated'],
  'preflight()': ['authenticated'],
  'cleanup_staging(timestamp with time zone)': ['service_role'],
};

describe('grants matrix', () => {
  it('table privileges of anon, authenticated and service_role match the checked-in expectation', async () => {
    const actual: Record<string, Record<string, string[]>> = {};
    const tables = await db.query<{ t: string }>(
      `select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`,
    );
    for (const { t } of tables.rows) {
      actual[t] = {};
      for (const role of ROLES) {
        const held: string[] = [];
        for (const priv of PRIVILEGES) {
          const whole = await db.query<{ ok: boolean }>('select has_table_privilege($1, $2, $3) as ok', [role, `public.${t}`, priv]);
          if (whole.rows[0]!.ok) {
            held.push(priv);
            continue;
          }
          if (!['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'].includes(priv)) continue;
          const cols = await db.query<{ name: string }>(
            `select a.attname as name from pg_attribute a
             where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped and has_column_privilege($2, a.attrelid, a.attnum, $3)
             order by a.attname`,
            [`public.${t}`, role, priv],
          );
          if (cols.rows.length > 0) held.push(`${priv}(${cols.rows.map((c) => c.name).join(',')})`);
        }
        actual[t]![role] = held;
      }
    }
    expect(actual).toEqual(EXPECTED_TABLES);
  });

  it('EXECUTE on functions of public matches the checked-in expectation; nothing is granted to PUBLIC', async () => {
    const fns = await db.query<{ sig: string; roles: string[]; to_public: boolean }>(
      `select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as sig,
              array(select r from unnest(array['anon','authenticated','service_role']) r where has_function_privilege(r, p.oid, 'EXECUTE') order by 1)::text[] as roles,
              coalesce(exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0), true) as to_public
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'`,
    );
    const actual = Object.fromEntries(fns.rows.map((f) => [f.sig.replace(/p_\w+ /g, '').replace(/, /g, ','), f.roles]));
    expect(actual).toEqual(EXPECTED_FUNCTIONS);
    expect(fns.rows.filter((f) => f.to_public).map((f) => f.sig)).toEqual([]);
  });

  it('the private schema: only authenticated may use it, and only its membership lookup, the list of roles and the currency pattern', async () => {
    const usage = await db.query<{ role: string; ok: boolean }>(
      `select r as role, has_schema_privilege(r, 'metricdrop_private', 'USAGE') as ok from unnest(array['anon','authenticated','service_role']) r order by 1`,
    );
    expect(usage.rows).toEqual([
      { role: 'anon', ok: false },
      { role: 'authenticated', ok: true },
      { role: 'service_role', ok: false },
    ]);
    const runnable = await db.query<{ f: string }>(
      `select p.proname as f from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'metricdrop_private' and has_function_privilege('authenticated', p.oid, 'EXECUTE') order by 1`,
    );
    // workspace_roles(): the check of workspace_members.role's domain, which owners write (071);
    // currency_pattern(): the check of clients.currency's domain, which owners and admins write (094).
    expect(runnable.rows.map((r) => r.f)).toEqual(['currency_pattern', 'workspace_roles', 'workspaces_of']);
    const tables = await db.query(
      `select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'metricdrop_private' and c.relkind = 'r'
         and (has_table_privilege('authenticated', c.oid, 'SELECT,INSERT,UPDATE,DELETE') or has_table_privilege('anon', c.oid, 'SELECT,INSERT,UPDATE,DELETE'))`,
    );
    expect(tables.rows).toEqual([]);
  });

  it('default privileges no longer hand new public objects to the API roles', async () => {
    await db.query('begin');
    try {
      // Later objects are made by postgres, as migrations and the SQL editor make them on Supabase.
      await db.query('set local role postgres');
      await db.query('create table public.later_table (id int)');
      await db.query(`create function public.later_fn() returns int language sql as 'select 1'`);
      const r = await db.query<{ role: string; tbl: boolean; fn: boolean }>(
        `select r as role, has_table_privilege(r, 'public.later_table', 'SELECT,INSERT,UPDATE,DELETE') as tbl,
                has_function_privilege(r, 'public.later_fn()', 'EXECUTE') as fn
         from unnest(array['anon','authenticated','service_role']) r order by 1`,
      );
      // functions still get EXECUTE through PUBLIC (PostgreSQL's own default), which is why every
      // migration revokes it function by function; tables get nothing.
      expect(r.rows.map((x) => [x.role, x.tbl])).toEqual([
        ['anon', false],
        ['authenticated', false],
        ['service_role', false],
      ]);
    } finally {
      await db.query('rollback');
    }
  });

  it('no privilege at all, MAINTAIN (PostgreSQL 17) included, on a later table or on any existing one', async () => {
    await db.query('begin');
    try {
      // Later objects are made by postgres, as migrations and the SQL editor make them on Supabase.
      await db.query('set local role postgres');
      await db.query('create table public.later_maintained (id int)');
      const privileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'];
      const later = await db.query<{ role: string; p: string }>(
        `select r as role, p from unnest(array['anon','authenticated','service_role']) r, unnest($1::text[]) p
         where has_table_privilege(r, 'public.later_maintained', p)`,
        [privileges],
      );
      expect(later.rows).toEqual([]);
      const existing = await db.query<{ rel: string; role: string }>(
        `select c.relname as rel, r as role from pg_class c join pg_namespace n on n.oid = c.relnamespace,
                unnest(array['anon','authenticated','service_role']) r
         where n.nspname in ('public', 'metricdrop_private') and c.relkind in ('r','p','m')
           and has_table_privilege(r, c.oid, 'MAINTAIN') order by 1, 2`,
      );
      expect(existing.rows).toEqual([]);
    } finally {
      await db.query('rollback');
    }
  });
});
