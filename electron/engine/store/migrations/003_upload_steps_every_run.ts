import type { Migration } from '../migrate.ts';

/**
 * Keeps every completed step of an upload, in the order it happened. Migration 002 keyed steps by
 * name, so committing a dry run overwrote the dry run's own dimension and fact steps; the history
 * now shows both runs.
 */
export const migration003: Migration = {
  version: 3,
  name: 'upload_steps_every_run',
  up(db) {
    db.exec(`
      create table upload_steps_v3 (
        id integer primary key autoincrement,
        upload_id text not null references uploads (id) on delete cascade,
        step text not null,
        ms integer not null,
        result_json text,
        at text not null
      );
      insert into upload_steps_v3 (upload_id, step, ms, result_json, at)
        select upload_id, step, ms, result_json, at from upload_steps order by at, rowid;
      drop table upload_steps;
      alter table upload_steps_v3 rename to upload_steps;
      create index upload_steps_by_upload on upload_steps (upload_id, id);
    `);
  },
};
