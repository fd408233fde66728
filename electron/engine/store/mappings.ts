import type Database from 'better-sqlite3';
import type { Platform } from '../../../shared/canonical.ts';
import { ColumnMapping, SavedMapping, type MappableField } from '../../../shared/mapping.ts';

/** Column mappings the user confirmed (migration 004). SQL in named functions, parameters bound. */

interface MappingRecord {
  id: string;
  platform: Platform;
  signature: string;
  headers_json: string;
  fields_json: string;
  confirmed_at: string;
  last_used_at: string | null;
}

const COLUMNS = 'id, platform, signature, headers_json, fields_json, confirmed_at, last_used_at';

function fromRecord(r: MappingRecord): SavedMapping {
  return SavedMapping.parse({
    id: r.id,
    platform: r.platform,
    signature: r.signature,
    headers: JSON.parse(r.headers_json) as unknown,
    fields: JSON.parse(r.fields_json) as unknown,
    confirmedAt: r.confirmed_at,
    lastUsedAt: r.last_used_at,
  });
}

/**
 * Saves a confirmed mapping for its platform and header signature: a new one, or the one already
 * kept for them, replaced (keeping its id). Returns what is stored.
 */
export function saveMapping(
  db: Database.Database,
  m: { id: string; mapping: ColumnMapping; signature: string; headers: readonly string[]; at: Date },
): SavedMapping {
  const mapping = ColumnMapping.parse(m.mapping);
  db.prepare(
    `insert into column_mappings (id, platform, signature, headers_json, fields_json, confirmed_at, last_used_at)
     values (@id, @platform, @signature, @headers, @fields, @at, null)
     on conflict (platform, signature) do update set
       headers_json = excluded.headers_json, fields_json = excluded.fields_json, confirmed_at = excluded.confirmed_at`,
  ).run({
    id: m.id,
    platform: mapping.platform,
    signature: m.signature,
    headers: JSON.stringify(m.headers),
    fields: JSON.stringify(mapping.fields),
    at: m.at.toISOString(),
  });
  return findMapping(db, m.signature, mapping.platform)!;
}

/** The mapping kept for this platform and header signature, or null. */
export function findMapping(db: Database.Database, signature: string, platform: Platform): SavedMapping | null {
  const r = db.prepare(`select ${COLUMNS} from column_mappings where signature = ? and platform = ?`).get(signature, platform) as
    MappingRecord | undefined;
  return r ? fromRecord(r) : null;
}

/** Every mapping kept for a header signature (one per platform). */
export function mappingsForSignature(db: Database.Database, signature: string): SavedMapping[] {
  const rows = db
    .prepare(`select ${COLUMNS} from column_mappings where signature = ? order by confirmed_at desc, id`)
    .all(signature) as MappingRecord[];
  return rows.map(fromRecord);
}

export function getMapping(db: Database.Database, id: string): SavedMapping | null {
  const r = db.prepare(`select ${COLUMNS} from column_mappings where id = ?`).get(id) as MappingRecord | undefined;
  return r ? fromRecord(r) : null;
}

/** Newest confirmed first. */
export function listMappings(db: Database.Database): SavedMapping[] {
  const rows = db.prepare(`select ${COLUMNS} from column_mappings order by confirmed_at desc, id`).all() as MappingRecord[];
  return rows.map(fromRecord);
}

/** Replaces a mapping's fields (a change confirmed in the app); false when the id is unknown. */
export function updateMappingFields(db: Database.Database, id: string, fields: Partial<Record<MappableField, string>>, at: Date): boolean {
  const r = db
    .prepare('update column_mappings set fields_json = ?, confirmed_at = ? where id = ?')
    .run(JSON.stringify(fields), at.toISOString(), id);
  return r.changes === 1;
}

/** Forgets a mapping; false when the id is unknown. */
export function forgetMapping(db: Database.Database, id: string): boolean {
  return db.prepare('delete from column_mappings where id = ?').run(id).changes === 1;
}

export function markMappingUsed(db: Database.Database, id: string, at: Date): void {
  db.prepare('update column_mappings set last_used_at = ? where id = ?').run(at.toISOString(), id);
}
