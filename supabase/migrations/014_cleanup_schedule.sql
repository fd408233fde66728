-- =====================================================================================================
-- 014 Schedule the staging cleanup with pg_cron, where the extension exists
--
-- On Supabase pg_cron is available but off until enabled; we enable it (as Supabase's guide does)
-- and schedule public.cleanup_staging() hourly. Where pg_cron is not available (plain PostgreSQL,
-- the test harness), nothing is scheduled and preflight() says so; run the cleanup from any
-- scheduler as the service role instead.
-- =====================================================================================================

do $$
begin
  if not exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron')
     and exists (select 1 from pg_catalog.pg_available_extensions where name = 'pg_cron') then
    begin
      create extension if not exists pg_cron with schema pg_catalog;
    exception when others then
      raise notice 'pg_cron is installed on the server but could not be enabled here (%): schedule public.cleanup_staging() another way.', sqlerrm;
    end;
  end if;
  if exists (select 1 from pg_catalog.pg_extension where extname = 'pg_cron') then
    -- cron.schedule(name, ...) replaces a job of the same name, so re-running is harmless.
    perform cron.schedule('metricdrop-cleanup-staging', '17 * * * *', 'select public.cleanup_staging()');
  end if;
end
$$;

insert into metricdrop_private.schema_versions (version, name) values ('014', 'cleanup_schedule');
