import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Platform } from '../../../shared/canonical.ts';
import { AppError } from '../../../shared/errors.ts';
import { ColumnMapping, mappingNote, type MappableField, type SavedMapping } from '../../../shared/mapping.ts';
import type { ValidateReport } from '../../../shared/report.ts';
import { recordAuditEvent } from '../store/audit.ts';
import {
  findMapping,
  forgetMapping,
  getMapping,
  listMappings,
  mappingsForSignature,
  markMappingUsed,
  saveMapping,
  updateMappingFields,
} from '../store/mappings.ts';
import type { ReadFacts } from '../validate/index.ts';
import type { SavedMappingRef } from './pass.ts';
import { resolveMapping } from './resolve.ts';

export interface MappingApiDeps {
  db: Database.Database;
  clock: { now(): Date };
  newId?: () => string;
}

/**
 * The saved column mappings (the columns a person placed for a header the tables could not read):
 * found for a header while a file is read, saved when a mapping (or a `--platform` that decided an
 * ambiguous header) was confirmed and the file accepted, listed, changed and forgotten. Every change is in the local audit log.
 */
export function createMappingApi(deps: MappingApiDeps) {
  const newId = deps.newId ?? randomUUID;
  const audit = (kind: string, subjectId: string, detail: unknown) =>
    recordAuditEvent(deps.db, { at: deps.clock.now(), kind, subjectId, detail });

  return {
    /** For the pass: the saved mapping of this header (for `--platform`, or the only platform saved for it). */
    lookup(signature: string, platform: Platform | undefined): SavedMappingRef | null {
      const found = platform
        ? findMapping(deps.db, signature, platform)
        : (() => {
            const all = mappingsForSignature(deps.db, signature);
            return all.length === 1 ? all[0]! : null;
          })();
      return found ? { id: found.id, mapping: { platform: found.platform, fields: found.fields }, confirmedAt: found.confirmedAt } : null;
    },

    /**
     * After a file was read: saves the mapping it was confirmed with (unless `save` is false) and
     * fills the report's `mapped` with the saved id and date; marks a saved mapping used.
     */
    settle(report: ValidateReport, facts: ReadFacts, save: boolean): void {
      if (report.refused || facts.headerSignature === null || report.platform === null) return;
      const now = deps.clock.now();
      if (report.mapped?.source === 'saved' && report.mapped.id !== null) {
        markMappingUsed(deps.db, report.mapped.id, now);
        return;
      }
      const given = report.mapped?.source === 'given';
      if (!given && !facts.platformChosen) return;
      const mapping: ColumnMapping = given
        ? { platform: report.mapped!.platform, fields: report.mapped!.fields }
        : { platform: report.platform, fields: {} };
      let id: string | null = null;
      let confirmedAt = now.toISOString();
      if (save) {
        const saved = saveMapping(deps.db, { id: newId(), mapping, signature: facts.headerSignature, headers: facts.headers, at: now });
        id = saved.id;
        confirmedAt = saved.confirmedAt;
        audit('mapping_saved', saved.id, { platform: saved.platform, fields: saved.fields, headers: saved.headers, file: report.file });
      }
      report.mapped = {
        id,
        platform: mapping.platform,
        fields: mapping.fields,
        source: 'given',
        confirmedAt,
        note: mappingNote(mapping.platform, mapping.fields, confirmedAt),
      };
    },

    list(): SavedMapping[] {
      return listMappings(deps.db);
    },
    get(id: string): SavedMapping | null {
      return getMapping(deps.db, id);
    },
    /** Forgets a mapping: the next file with its header is read (and refused) as if it was never confirmed. */
    forget(id: string): boolean {
      const m = getMapping(deps.db, id);
      if (!m || !forgetMapping(deps.db, id)) return false;
      audit('mapping_forgotten', id, { platform: m.platform, fields: m.fields });
      return true;
    },
    /** Changes a saved mapping's fields, checked against the header it was confirmed for. */
    change(id: string, fields: Partial<Record<MappableField, string>>): SavedMapping {
      const m = getMapping(deps.db, id);
      if (!m) throw new AppError('INVALID_INPUT', `No saved column mapping has the id ${id}.`);
      const mapping = ColumnMapping.parse({ platform: m.platform, fields });
      const resolved = resolveMapping(mapping, m.headers);
      if (!resolved.ok) throw new AppError('INVALID_MAPPING', resolved.message);
      updateMappingFields(deps.db, id, mapping.fields, deps.clock.now());
      audit('mapping_changed', id, { platform: m.platform, before: m.fields, after: mapping.fields });
      return getMapping(deps.db, id)!;
    },
  };
}

export type MappingApi = ReturnType<typeof createMappingApi>;
