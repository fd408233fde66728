import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * supabase/README.md's table "Where each function is defined now", computed from the migrations'
 * own statements (no database): a migration that redefines a function with `create or replace`
 * makes this test name the row to change.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const MIGRATIONS = join(ROOT, 'supabase', 'migrations');
const README = 'supabase/README.md';
const SECTION = '## Where each function is defined now';

/**
 * The SQL with what is not a statement of the migration itself blanked out: comments, string
 * literals and dollar-quoted bodies (a function's body, or a DO block, is not where functions of the
 * migration are created or dropped). Lengths are kept, so offsets still point into the file.
 */
function topLevelSql(sql: string): string {
  let out = '';
  let i = 0;
  const blank = (to: number) => {
    out += sql.slice(i, to).replace(/[^\n]/g, ' ');
    i = to;
  };
  while (i < sql.length) {
    const rest = sql.slice(i);
    if (rest.startsWith('--')) {
      const nl = sql.indexOf('\n', i);
      blank(nl === -1 ? sql.length : nl);
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      blank(end === -1 ? sql.length : end + 2);
    } else if (rest[0] === '"') {
      // A quoted identifier (a policy's name may hold an apostrophe): kept as it is.
      let j = i + 1;
      while (j < sql.length && !(sql[j] === '"' && sql[j + 1] !== '"')) j += sql[j] === '"' ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = Math.min(j + 1, sql.length);
    } else if (rest[0] === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      blank(Math.min(j + 1, sql.length));
    } else {
      const tag = /^\$[A-Za-z_]*\$/.exec(rest)?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        blank(end === -1 ? sql.length : end + tag.length);
      } else {
        out += sql[i];
        i++;
      }
    }
  }
  return out;
}

interface FunctionDefinitions {
  /** The migration holding the latest `create [or replace] function` of it. */
  latest: string;
  /** The migration that created it first. */
  first: string;
  /** The migration that dropped it after its latest definition, if one did. */
  droppedIn?: string;
}

const NAME = String.raw`(?:("?)([a-z_][a-z0-9_]*)\1\.)?("?)([a-z_][a-z0-9_]*)\3`;

/**
 * Every function the migrations create, by schema-qualified name (the migrations overload no name;
 * a function re-created with other parameter types, as in 074, stays one row).
 */
function functionDefinitions(files: { name: string; sql: string }[]): Map<string, FunctionDefinitions> {
  const defs = new Map<string, FunctionDefinitions>();
  const qualified = (file: string, schema: string | undefined, name: string) => {
    if (!schema) throw new Error(`${file}: function ${name} without its schema: write public.${name} or metricdrop_private.${name}`);
    return `${schema.toLowerCase()}.${name.toLowerCase()}`;
  };
  for (const { name: file, sql } of files) {
    const top = topLevelSql(sql);
    const statements = new RegExp(String.raw`\b(create(?:\s+or\s+replace)?|drop)\s+function\s+(?:if\s+exists\s+)?([^;]*)`, 'gi');
    for (const m of top.matchAll(statements)) {
      if (m[1]!.toLowerCase() === 'drop') {
        // `drop function a(text), b(integer) [cascade]`: each name at the list's top level.
        let depth = 0;
        let list = '';
        for (const ch of m[2]!) {
          if (ch === '(') depth++;
          else if (ch === ')') depth--;
          else if (depth === 0) list += ch;
        }
        for (const part of list.split(',')) {
          const n = new RegExp(`^\\s*${NAME}`, 'i').exec(part);
          if (!n) continue;
          const key = qualified(file, n[2], n[4]!);
          const def = defs.get(key);
          if (def) def.droppedIn = file;
        }
        continue;
      }
      const n = new RegExp(`^${NAME}\\s*\\(`, 'i').exec(m[2]!);
      if (!n) throw new Error(`${file}: cannot read the function name in "${m[0].slice(0, 80)}"`);
      const key = qualified(file, n[2], n[4]!);
      const def = defs.get(key);
      if (def) {
        def.latest = file;
        delete def.droppedIn;
      } else defs.set(key, { latest: file, first: file });
    }
  }
  return defs;
}

/** The README's order: `public` first, then `metricdrop_private`, each alphabetically. */
function byReadmeOrder(a: string, b: string): number {
  const schema = (k: string) => (k.startsWith('public.') ? 0 : 1);
  return schema(a) - schema(b) || a.localeCompare(b);
}

/** One row of the table, exactly as the README writes it. */
function tableRow(fn: string, def: FunctionDefinitions): string {
  const now = def.droppedIn ? `dropped in \`${def.droppedIn}\`` : `\`${def.latest}\``;
  const first = def.first === def.latest && !def.droppedIn ? '—' : `\`${def.first}\``;
  return `| \`${fn}\` | ${now} | ${first} |`;
}

function migrations(): { name: string; sql: string }[] {
  return readdirSync(MIGRATIONS)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(MIGRATIONS, name), 'utf8') }));
}

/** The table's rows in the README, by function, in their order. */
function readmeRows(): { fn: string; row: string }[] {
  const text = readFileSync(join(ROOT, README), 'utf8');
  const start = text.indexOf(`\n${SECTION}\n`);
  if (start === -1) throw new Error(`${README} has no section "${SECTION}"`);
  const after = text.slice(start + SECTION.length + 2);
  const end = after.search(/^## /m);
  return (end === -1 ? after : after.slice(0, end))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\| `[^`]+` \|/.test(line))
    .map((row) => ({ fn: /^\| `([^`]+)`/.exec(row)![1]!, row }));
}

describe(`${README}, "${SECTION.slice(3)}"`, () => {
  it('reads the migrations as they are (the computation is not vacuous)', () => {
    const files = migrations();
    const defs = functionDefinitions(files);
    // Read another way, line by line: every statement that starts a line creating a function.
    const byLine = new Set(
      files.flatMap(({ sql }) =>
        [...sql.matchAll(/^create\s+(?:or\s+replace\s+)?function\s+([a-z_]+\.[a-z0-9_]+)\s*\(/gim)].map((m) => m[1]!),
      ),
    );
    expect(byLine.size).toBeGreaterThanOrEqual(100);
    expect([...defs.keys()].sort()).toEqual([...byLine].sort());
    // 074 dropped and re-created role_rank with a domain parameter; 042 dropped migration_gaps for good.
    expect(defs.get('metricdrop_private.role_rank')?.first).toBe('002_tenancy.sql');
    expect(defs.get('metricdrop_private.migration_gaps')).toEqual({
      first: '021_preflight_numbered_blocks.sql',
      latest: '021_preflight_numbered_blocks.sql',
      droppedIn: '042_drop_unused_migration_gaps.sql',
    });
    // What is not a statement is not read: a comment, a string, a body.
    const probe = functionDefinitions([
      {
        name: '999_probe.sql',
        sql: [
          '-- create or replace function public.in_comment()',
          "select 'create function public.in_string()';",
          'create policy "Members can read their workspace\'s rows" on public.t for select using (true);',
          "do $$ begin execute 'create function public.in_body() returns int language sql as $b$ select 1 $b$'; end $$;",
          'create or replace function public.real_one(p text) returns text language sql as $$ select $1 $$;',
          'create function public.after_the_apostrophe() returns int language sql as $$ select 1 $$;',
        ].join('\n'),
      },
    ]);
    expect([...probe.keys()]).toEqual(['public.real_one', 'public.after_the_apostrophe']);
  });

  it('lists every function with the migration holding its latest definition, and its first when that is another', () => {
    const defs = functionDefinitions(migrations());
    const expected = [...defs.keys()].sort(byReadmeOrder).map((fn) => ({ fn, row: tableRow(fn, defs.get(fn)!) }));
    const actual = readmeRows();
    const where = `${README}, section "${SECTION.slice(3)}"`;
    const fixes: string[] = [];
    const inReadme = new Map(actual.map((r) => [r.fn, r.row]));
    for (const [k, { fn, row }] of expected.entries()) {
      const have = inReadme.get(fn);
      const place = k === 0 ? 'at the top of the table' : `after the row of \`${expected[k - 1]!.fn}\``;
      if (have === undefined) fixes.push(`add the row of \`${fn}\` ${place}:\n    ${row}`);
      else if (have !== row) fixes.push(`change the row of \`${fn}\`\n    from: ${have}\n    to:   ${row}`);
    }
    for (const { fn, row } of actual) {
      if (!defs.has(fn)) fixes.push(`remove the row of \`${fn}\` (no migration creates it):\n    ${row}`);
    }
    const seen = new Set<string>();
    for (const { fn } of actual) {
      if (seen.has(fn)) fixes.push(`remove the second row of \`${fn}\``);
      seen.add(fn);
    }
    if (fixes.length === 0) {
      // Same rows: then the same order (public first, then metricdrop_private, each alphabetically).
      const order = expected.map((r) => r.fn);
      const i = actual.findIndex((r, k) => r.fn !== order[k]);
      if (i !== -1) {
        const fn = order[i]!;
        fixes.push(`move the row of \`${fn}\` ${i === 0 ? 'to the top of the table' : `to just after the row of \`${order[i - 1]}\``}`);
      }
    }
    expect(fixes, `In ${where}:\n- ${fixes.join('\n- ')}\n`).toEqual([]);
  });
});
