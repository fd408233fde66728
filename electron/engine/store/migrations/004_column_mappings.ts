import type { Migration } from '../migrate.ts';

/**
 * Column mappings the user confirmed (columns placed by hand where the header tables fell short), one
 * per platform and normalised header signature, applied to the next file with the same header. `fields_json` maps canonical field names to the
 * headers as written; `headers_json` keeps the header it was confirmed for, to change it later.
 */
export const migration004: Migration = {
  version: 4,
  name: 'column_mappings',
  up(db) {
    db.exec(`
      create table column_mappings (
        id text primary key,
        platform text not null check (platform in ('meta', 'google', 'tiktok')),
        signature text not null,
        headers_json text not null,
        fields_json text not null,
        confirmed_at text not null,
        last_used_at text,
        unique (platform, signature)
      );
      create index column_mappings_by_signature on column_mappings (signature);
    `);
  },
};
