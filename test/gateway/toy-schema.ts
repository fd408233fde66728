/**
 * Tables and functions the conformance tests create in their own fresh database. They mirror the
 * shapes the app meets (RLS by owner, SECURITY DEFINER-free RPCs, raised errors) without depending
 * on the app's migrations.
 */
export const TOY_SCHEMA_SQL = `
-- Made by postgres, as the app's migrations are (a superuser's objects get other default grants).
set role postgres;
create table public.gw_items (
  id integer primary key,
  name text,
  qty integer,
  price numeric(10, 2),
  tags text[],
  made_on date,
  note text default 'none'
);
grant select, insert, update, delete on public.gw_items to anon, authenticated;

create table public.gw_parents (id integer primary key);
create table public.gw_children (
  id integer primary key,
  parent_id integer not null references public.gw_parents (id),
  label text not null
);
grant select, insert on public.gw_parents, public.gw_children to authenticated;

-- Rows users may read but not write (the app's tables: writes only through functions).
create table public.gw_readonly (id integer primary key, name text);
revoke all on public.gw_readonly from anon, authenticated;
grant select on public.gw_readonly to authenticated;
insert into public.gw_readonly values (1, 'one');

-- Row-level security by owner.
create table public.gw_notes (
  id uuid primary key default gen_random_uuid(),
  owner uuid not null default auth.uid(),
  body text not null
);
alter table public.gw_notes enable row level security;
grant select, insert, update, delete on public.gw_notes to authenticated;
create policy "owners read their notes" on public.gw_notes for select to authenticated using (owner = (select auth.uid()));
create policy "owners write their notes" on public.gw_notes for insert to authenticated with check (owner = (select auth.uid()));
create policy "owners change their notes" on public.gw_notes for update to authenticated using (owner = (select auth.uid()));
create policy "owners delete their notes" on public.gw_notes for delete to authenticated using (owner = (select auth.uid()));

-- Insert allowed, reading back not: representation must fail, minimal must succeed.
create table public.gw_dropbox (id integer primary key, owner uuid not null default auth.uid(), body text);
alter table public.gw_dropbox enable row level security;
grant select, insert on public.gw_dropbox to authenticated;
create policy "anyone signed in drops" on public.gw_dropbox for insert to authenticated with check (true);

create table public.gw_log (id bigserial primary key, message text not null, at timestamptz not null default now());
grant select, insert on public.gw_log to anon, authenticated;
grant usage on sequence public.gw_log_id_seq to anon, authenticated;

create function public.gw_whoami() returns jsonb language sql stable as $$
  select jsonb_build_object(
    'uid', auth.uid(),
    'current_user', current_user,
    'claims', nullif(current_setting('request.jwt.claims', true), '')::jsonb,
    'method', current_setting('request.method', true),
    'path', current_setting('request.path', true),
    'headers', nullif(current_setting('request.headers', true), '')::jsonb,
    'read_only', current_setting('transaction_read_only'),
    'statement_timeout', current_setting('statement_timeout'),
    'search_path', current_setting('search_path'))
$$;

create function public.gw_whoami_volatile() returns jsonb language sql volatile as $$
  select public.gw_whoami() || jsonb_build_object('txid', txid_current()::text)
$$;

create function public.gw_add(a integer, b integer default 10) returns integer language sql immutable as $$ select a + b $$;
create function public.gw_concat(p_first text, p_second text) returns text language sql immutable as $$ select p_first || '+' || p_second $$;
create function public.gw_echo(json) returns json language sql immutable as $$ select $1 $$;
create function public.gw_no_args() returns text language sql immutable as $$ select 'nothing needed' $$;
create function public.gw_types(p_id uuid, p_when timestamptz, p_tags text[], p_doc jsonb, p_big bigint)
  returns jsonb language sql immutable as $$
  select jsonb_build_object('id', p_id, 'when', p_when, 'tags', p_tags, 'doc', p_doc, 'big', p_big::text, 'big_plus_one', (p_big + 1)::text)
$$;

create function public.gw_log_message(p_message text) returns bigint language sql volatile as $$
  insert into public.gw_log (message) values (p_message) returning id
$$;
create function public.gw_log_void(p_message text) returns void language sql volatile as $$
  insert into public.gw_log (message) values (p_message)
$$;
create function public.gw_log_then_fail(p_message text) returns void language plpgsql volatile as $$
begin
  insert into public.gw_log (message) values (p_message);
  raise exception 'refused after writing' using hint = 'ROLLED_BACK';
end $$;

create function public.gw_item(p_id integer) returns public.gw_items language sql stable as $$
  select * from public.gw_items where id = p_id
$$;
create function public.gw_numbers(p_upto integer) returns setof integer language sql immutable as $$
  select generate_series(1, p_upto)
$$;
create function public.gw_item_table(p_min integer) returns table (id integer, name text) language sql stable as $$
  select id, name from public.gw_items where id >= p_min order by id
$$;

create function public.gw_raise(p_kind text) returns void language plpgsql volatile as $$
begin
  case p_kind
    when 'p0001' then raise exception 'duplicate batch' using detail = 'key dup', hint = 'use another key';
    when 'pt409' then raise sqlstate 'PT409' using message = 'custom conflict';
    when 'unique' then insert into public.gw_parents values (1); insert into public.gw_parents values (1);
    when 'fk' then insert into public.gw_children values (1, 999, 'orphan');
    when 'bad_input' then perform 'not a number'::integer;
    when 'not_null' then insert into public.gw_children values (2, null, null);
    when 'cardinality' then perform (select id from public.gw_items);
    when 'privilege' then insert into public.gw_readonly values (99, 'nope');
    else raise exception 'unknown kind %', p_kind;
  end case;
end $$;

-- Overloads told apart by argument names.
create function public.gw_overload(p_a integer) returns text language sql immutable as $$ select 'a' $$;
create function public.gw_overload(p_b text) returns text language sql immutable as $$ select 'b' $$;
create function public.gw_ambiguous(p_x integer) returns text language sql immutable as $$ select 'int' $$;
create function public.gw_ambiguous(p_x text) returns text language sql immutable as $$ select 'text' $$;


-- Explicit grants: the app's migrations may revoke Supabase's default EXECUTE.
do $$
declare f regprocedure;
begin
  for f in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where n.nspname = 'public' and p.proname like 'gw\\_%' loop
    execute format('grant execute on function %s to anon, authenticated', f);
  end loop;
end $$;
`;
