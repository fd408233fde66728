import type { Migration } from '../migrate.ts';
import { UPLOADS_SCHEMA_SQL } from '../uploads.ts';

/**
 * Uploads and dry runs: the write-ahead journal (an upload id exists here before the server hears of
 * it), each completed step with its timing, the local mirror of committed rows for offline plans,
 * and the clients the user could see when last online.
 */
export const migration002: Migration = {
  version: 2,
  name: 'uploads',
  up(db) {
    db.exec(UPLOADS_SCHEMA_SQL);
  },
};
