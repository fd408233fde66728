-- =====================================================================================================
-- 020 Refusal codes that survive every PostgREST error verbosity
--
-- A refusal carried its data-contract code only in HINT. PostgREST's `client-error-verbosity =
-- minimal` (PostgREST 13 and later) answers errors as `{code, message}` alone, dropping `hint` and
-- `details`, so on such a project every refusal reached the app as a bare P0001 ("try again
-- later"). The message is kept at every verbosity, so the code now also leads it as `[CODE] `:
--
--   message = '[RATE_LIMITED] Ten uploads …', hint = 'RATE_LIMITED', detail = '{…}'
--
-- The app reads the code from `hint` when present, else from the prefix, and strips the prefix
-- before showing the sentence. Only the raising helper changes: every function refuses through it.
-- =====================================================================================================

create or replace function metricdrop_private.refuse(p_code text, p_message text, p_detail jsonb default null)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_message text := '[' || p_code || '] ' || p_message;
begin
  if p_code !~ '^[A-Z][A-Z_]*$' then
    raise exception 'refuse(): % is not a data-contract code', p_code;
  end if;
  if p_detail is null then
    raise exception using errcode = 'P0001', message = v_message, hint = p_code;
  end if;
  raise exception using errcode = 'P0001', message = v_message, hint = p_code, detail = p_detail::text;
end
$$;
revoke all on function metricdrop_private.refuse(text, text, jsonb) from public, anon, authenticated, service_role;

insert into metricdrop_private.schema_versions (version, name) values ('020', 'refusal_code_in_message');
