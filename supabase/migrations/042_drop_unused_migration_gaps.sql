-- =====================================================================================================
-- 042 drop migration_gaps(): 021 added it for preflight(), and 041 redefined preflight() without it,
-- so nothing calls it. A new migration rather than an edit of 021, since `db push` never re-runs one.
-- =====================================================================================================

drop function metricdrop_private.migration_gaps();

insert into metricdrop_private.schema_versions (version, name) values ('042', 'drop_unused_migration_gaps');
