import type { Migration } from '../migrate.ts';

/**
 * Uploads and dry runs: the write-ahead journal (an upload id exists here before the server hears of
 * it), each completed step with its timing, the local mirror of committed rows for offline plans,
 * and the clients the user could see when last online.
 */
export const migration002: Migration = {
  version: 2,
  name: 'uploads',
  up(db) {
    db.exec(`
      create table uploads (
        id text primary key,
        validation_id text not null,
        workspace_id text not null,
        client_id text not null,
        client_name text not null,
        platform text not null check (platform in ('meta','google','tiktok')),
        mode text not null check (mode in ('FULL_DRY_RUN','COMMIT')),
        file_name text not null,
        sha256 text not null,
        row_count integer not null,
        level text not null,
        currency text,
        user_id text not null,
        user_email text not null,
        server_url text not null,
        stage_batch_rows integer not null,
        status text not null check (status in ('running','interrupted','failed','completed','staged')),
        server_status text,
        plan_json text,
        previous_json text,
        error_json text,
        created_at text not null,
        updated_at text not null
      );
      create index uploads_by_status on uploads (status, created_at);
      create index uploads_by_sha on uploads (sha256, client_id);

      create table upload_steps (
        upload_id text not null references uploads (id) on delete cascade,
        step text not null,
        ms integer not null,
        result_json text,
        at text not null,
        primary key (upload_id, step)
      );

      -- What this computer has uploaded before, per client: the offline dry run plans against it.
      create table local_entities (
        client_id text not null,
        platform text not null,
        entity_type text not null check (entity_type in ('campaign','ad_set','ad')),
        external_id text not null,
        name text not null,
        parent_external_id text,
        primary key (client_id, platform, entity_type, external_id)
      );
      create table local_facts (
        client_id text not null,
        platform text not null,
        fact_key text not null,
        impressions text not null,
        clicks text not null,
        spend text not null,
        conversions text not null,
        conversion_value text not null,
        upload_id text not null,
        primary key (client_id, platform, fact_key)
      );

      -- The workspaces and clients the signed-in user saw last, so --client works by name offline.
      create table known_clients (
        server_url text not null,
        user_id text not null,
        workspace_id text not null,
        workspace_name text not null,
        role text not null,
        client_id text not null,
        client_name text not null,
        currency text not null,
        refreshed_at text not null,
        primary key (server_url, user_id, client_id)
      );
    `);
  },
};
