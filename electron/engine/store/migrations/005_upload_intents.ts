import type { Migration } from '../migrate.ts';

/**
 * Uploads asked for but not yet begun: recorded before the file is read, so an upload killed while
 * reading or validating (before the server heard of it) is not forgotten. The file's size and
 * modification time are what can be known before reading; the content hash is added once read.
 * `upload_id` links the upload once its journal row exists (from then on `uploads` tracks it).
 */
export const migration005: Migration = {
  version: 5,
  name: 'upload_intents',
  up(db) {
    db.exec(`
      create table upload_intents (
        id text primary key,
        file_path text not null,
        file_bytes integer not null,
        file_mtime_ms integer not null,
        client_ref text not null,
        workspace_ref text,
        platform text check (platform in ('meta','google','tiktok')),
        status text not null check (status in ('reading','validated','started','refused','failed','abandoned')),
        sha256 text,
        validation_id text,
        upload_id text references uploads (id),
        outcome_json text,
        created_at text not null,
        updated_at text not null
      );
      create index upload_intents_pending on upload_intents (status, created_at);
    `);
  },
};
