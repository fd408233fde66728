import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';
import { callRpc, expectDenied } from './as-user.ts';
import { createTenant, type Tenant } from './seed.ts';

interface Check {
  name: string;
  ok: boolean;
  required: boolean;
  detail: string;
}
interface Preflight {
  ok: boolean;
  schema_version: string;
  checks: Check[];
}

let db: pg.Client;
let t: Tenant;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
  t = await createTenant(db, 'preflight');
});
afterAll(async () => {
  await db?.end();
});

async function preflight(): Promise<Preflight> {
  return await callRpc<Preflight>(db, t.viewer, 'preflight');
}

function check(p: Preflight, name: string): Check {
  const c = p.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check ${name}`);
  return c;
}

/** Runs a destructive change, asserts on preflight, then rolls the change back. */
async function withChange(ddl: string, assert: (p: Preflight) => void) {
  await db.query('begin');
  try {
    await db.query(ddl);
    await db.query(`select set_config('role','authenticated',true), set_config('request.jwt.claims',$1,true)`, [
      JSON.stringify({ sub: t.viewer.id, role: 'authenticated' }),
    ]);
    const r = await db.query<{ p: Preflight }>('select public.preflight() as p');
    assert(r.rows[0]!.p);
  } finally {
    await db.query('rollback');
  }
}

describe('preflight(): the pre-flight checklist as data', () => {
  it('is all green on a fresh database, except the cron schedule where pg_cron is missing', async () => {
    const p = await preflight();
    expect(p.ok).toBe(true);
    expect(p.schema_version).toMatch(/^\d{3}$/);
    expect(p.checks.map((c) => c.name)).toEqual([
      'natural_key_indexes',
      'fact_grain_index',
      'staging_tables',
      'rls_enabled',
      'policies_present',
      'anon_has_no_table_access',
      'definer_functions_locked',
      'error_logging',
      'cleanup_scheduled',
      'migrations_applied',
    ]);
    for (const c of p.checks.filter((x) => x.required)) expect(c, c.name).toMatchObject({ ok: true });
    expect(check(p, 'cleanup_scheduled')).toMatchObject({
      ok: false,
      required: false,
      detail: expect.stringMatching(/pg_cron is not available/),
    });
  });
  it("sees a migration left out, but not the unused numbers before an area's block of ten", async () => {
    expect(check(await preflight(), 'migrations_applied')).toMatchObject({ ok: true });
    await withChange(`delete from metricdrop_private.schema_versions where version = '011'`, (p) => {
      expect(p.ok).toBe(false);
      expect(check(p, 'migrations_applied')).toMatchObject({
        ok: false,
        detail: expect.stringMatching(/a migration before 012 is not applied/),
      });
    });
    await withChange(`delete from metricdrop_private.schema_versions where version = '040'`, (p) => {
      expect(check(p, 'migrations_applied')).toMatchObject({ ok: false, detail: expect.stringMatching(/before 041/) });
    });
  });

  it("compares the versions recorded with `supabase db push`'s history where the project keeps one (072)", async () => {
    // The CLI's own table, as db push creates it, as postgres (test/support/supabase-cli.test.ts pushes for real).
    const history = `create schema supabase_migrations authorization postgres;
      create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
      alter table supabase_migrations.schema_migrations owner to postgres; insert into supabase_migrations.schema_migrations (version, name) select version, name from metricdrop_private.schema_versions;`;
    await withChange(history, (p) => {
      expect(p.ok).toBe(true);
      expect(check(p, 'migrations_applied').detail).toMatch(
        /^\d+ migrations recorded, newest \d{3}, the same as supabase db push's history$/,
      );
    });
    // A history preflight's owner may not read (not made by db push): the check goes on without it.
    await withChange(
      `${history.replace(/ authorization postgres/, '').replace(/alter table [^;]+;/, '')} delete from supabase_migrations.schema_migrations`,
      (p) => {
        expect(check(p, 'migrations_applied')).toMatchObject({
          ok: true,
          detail: expect.stringMatching(/^\d+ migrations recorded, newest \d{3}$/),
        });
      },
    );
    await withChange(`${history} delete from supabase_migrations.schema_migrations where version = '071'`, (p) => {
      expect(p.ok).toBe(false);
      expect(check(p, 'migrations_applied')).toMatchObject({
        ok: false,
        detail: "071 recorded but not in supabase db push's history (applied by hand?): the next db push runs it again",
      });
    });
    await withChange(
      `${history} delete from metricdrop_private.schema_versions where version = (select max(version) from metricdrop_private.schema_versions)`,
      (p) => {
        expect(check(p, 'migrations_applied')).toMatchObject({
          ok: false,
          detail: expect.stringMatching(/^supabase db push applied \d{3}, which schema_versions does not record$/),
        });
      },
    );
  });

  it('turns red when a natural-key unique index is dropped', async () => {
    await withChange('alter table public.ad_sets drop constraint ad_sets_natural_key', (p) => {
      expect(p.ok).toBe(false);
      expect(check(p, 'natural_key_indexes')).toMatchObject({ ok: false, detail: 'missing unique natural-key index on: ad_sets' });
    });
  });

  it('turns red when the fact grain index is dropped', async () => {
    await withChange('alter table public.daily_metrics drop constraint daily_metrics_grain', (p) => {
      expect(p.ok).toBe(false);
      expect(check(p, 'fact_grain_index').ok).toBe(false);
    });
  });

  it('turns red when a staging table is missing', async () => {
    await withChange('drop table public.staging_id_resolution cascade', (p) => {
      expect(check(p, 'staging_tables')).toMatchObject({ ok: false, detail: expect.stringMatching(/staging_id_resolution/) });
      expect(p.ok).toBe(false);
    });
  });

  it('turns red when RLS is off or a table has no policy', async () => {
    await withChange('alter table public.daily_metrics disable row level security', (p) => {
      expect(check(p, 'rls_enabled')).toMatchObject({ ok: false, detail: 'row level security is off for: daily_metrics' });
    });
    await withChange(`drop policy "Members can read their workspace's ads" on public.ads`, (p) => {
      expect(check(p, 'policies_present')).toMatchObject({ ok: false, detail: 'no policy on: ads' });
      expect(p.ok).toBe(false);
    });
  });

  it('turns red when anon is granted a table or a definer function loses its fixed search_path', async () => {
    await withChange('grant select on public.clients to anon', (p) => {
      expect(check(p, 'anon_has_no_table_access')).toMatchObject({ ok: false, detail: 'anon has privileges on: clients' });
    });
    await withChange('alter function public.write_facts(uuid, integer) reset search_path', (p) => {
      expect(check(p, 'definer_functions_locked')).toMatchObject({ ok: false, detail: expect.stringMatching(/write_facts/) });
    });
  });

  it('reports the cleanup as scheduled once a cron job runs it', async () => {
    // pg_cron is not installed here: a stand-in cron.job table shows what preflight reads (its owner,
    // postgres, may read cron.job, as on Supabase).
    await withChange(
      `create extension if not exists plpgsql; create schema cron; create table cron.job (jobname text, command text, active boolean);
       insert into cron.job values ('metricdrop-cleanup-staging', 'select public.cleanup_staging()', true);
       grant usage on schema cron to postgres; grant select on cron.job to postgres;
       insert into pg_catalog.pg_extension (oid, extname, extowner, extnamespace, extrelocatable, extversion)
       select 999999, 'pg_cron', 10, 11, false, 'test'`,
      (p) => expect(check(p, 'cleanup_scheduled')).toMatchObject({ ok: true, detail: 'pg_cron runs public.cleanup_staging() hourly' }),
    );
  });

  it('anon cannot run it', async () => {
    await expectDenied(callRpc(db, 'anon', 'preflight'));
  });
});
