import type { SupabaseClient } from '@supabase/supabase-js';
import type * as z from 'zod';
import { toAppError } from './rpc.ts';

/**
 * Reads every row a filtered query matches, however many there are. PostgREST answers at most
 * `max_rows` rows per read (1,000 on hosted Supabase) and says nothing about the rest, so a plain
 * `select` silently loses rows past the cap. This reads in pages ordered by a unique key, each page
 * starting after the last key seen (keyset paging: stable while rows are added), and asks for the
 * exact count on the first page so it knows when it has them all, whatever cap the project has.
 */
export interface PagedRead<T> {
  table: string;
  columns: string;
  /** A column unique among the rows the filters match; pages are ordered by it. */
  key: string;
  keyOf(row: T): string;
  schema: z.ZodType<T>;
  eq?: Record<string, string>;
  in?: { column: string; values: readonly string[] };
  /** Rows asked for per page (default 1,000; the server may answer fewer). */
  pageRows?: number;
}

type FilterQuery = ReturnType<ReturnType<SupabaseClient['from']>['select']>;

/** Values per `in.(…)` filter, so a request line stays a few kilobytes. */
const IN_CHUNK = 100;

export async function readAllRows<T>(client: SupabaseClient, read: PagedRead<T>): Promise<T[]> {
  if (read.in === undefined) return await readChunk(client, read, undefined);
  const out: T[] = [];
  const values = [...new Set(read.in.values)];
  for (let i = 0; i < values.length; i += IN_CHUNK) {
    out.push(...(await readChunk(client, read, values.slice(i, i + IN_CHUNK))));
  }
  return out;
}

async function readChunk<T>(client: SupabaseClient, read: PagedRead<T>, inValues: string[] | undefined): Promise<T[]> {
  const pageRows = read.pageRows ?? 1000;
  const rows: T[] = [];
  let total: number | null = null;
  let after: string | null = null;
  for (;;) {
    let q: FilterQuery = client.from(read.table).select(read.columns, total === null ? { count: 'exact' } : {});
    for (const [column, value] of Object.entries(read.eq ?? {})) q = q.eq(column, value);
    if (read.in && inValues) q = q.in(read.in.column, inValues);
    if (after !== null) q = q.gt(read.key, after);
    // No silent 1-2-4 s retries here: offline, the caller falls back to what it saw last at once.
    const { data, error, status, count } = await q.order(read.key, { ascending: true }).limit(pageRows).retry(false);
    if (error) {
      throw toAppError(`reading ${read.table}`, {
        status,
        code: error.code ?? '',
        message: error.message,
        hint: error.hint ?? null,
        details: error.details ?? null,
      });
    }
    const page = read.schema.array().parse(data);
    if (total === null) total = count ?? null;
    rows.push(...page);
    const last = page.at(-1);
    if (last === undefined) return rows;
    if (total !== null && rows.length >= total) return rows;
    after = read.keyOf(last);
  }
}
