import type { Migration } from '../migrate.ts';

/**
 * Every validated file: its report (without the issues, which have their own table), its issues,
 * and its valid canonical rows, so the dry run and the upload never read the file again; plus the
 * local audit log.
 */
export const migration001: Migration = {
  version: 1,
  name: 'validations',
  up(db) {
    db.exec(`
      create table validations (
        id text primary key,
        validated_at text not null,
        file_path text not null,
        file_name text not null,
        bytes integer not null check (bytes >= 0),
        sha256 text check (sha256 is null or length(sha256) = 64),
        platform text check (platform in ('meta', 'google', 'tiktok')),
        level text check (level in ('campaign', 'ad_set', 'ad')),
        currency text,
        rows_total integer not null,
        rows_valid integer not null,
        rows_invalid integer not null,
        rows_skipped integer not null,
        date_from text,
        date_to text,
        refused_code text,
        refused_message text,
        report_json text not null
      );
      create index validations_by_sha256 on validations (sha256, validated_at);
      create index validations_by_time on validations (validated_at);

      create table validation_issues (
        validation_id text not null references validations (id) on delete cascade,
        seq integer not null,
        row_number integer,
        column_header text,
        code text not null,
        severity text not null check (severity in ('error', 'warning')),
        message text not null,
        primary key (validation_id, seq)
      ) without rowid;

      create table validated_rows (
        validation_id text not null references validations (id) on delete cascade,
        row_number integer not null,
        date text not null,
        campaign_external_id text not null,
        campaign_name text not null,
        ad_set_external_id text,
        ad_set_name text,
        ad_external_id text,
        ad_name text,
        impressions text not null,
        clicks text not null,
        spend text not null,
        conversions text not null,
        conversion_value text not null,
        currency text,
        primary key (validation_id, row_number)
      ) without rowid;

      create table audit_events (
        id integer primary key,
        at text not null,
        kind text not null,
        subject_id text,
        detail_json text not null
      );
      create index audit_events_by_time on audit_events (at);
      create index audit_events_by_subject on audit_events (subject_id);
    `);
  },
};
