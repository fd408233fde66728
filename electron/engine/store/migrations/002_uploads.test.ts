import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { testUpload } from '../../../../test/support/test-upload.ts';
import { getUpload, insertUpload, interruptedUploads, uploadJournal, uploadSteps } from '../uploads.ts';

const upload = testUpload();

describe('local store migration 002 (uploads)', () => {
  it('takes a version-1 store to version 2 and keeps what was there', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 1);
    expect(userVersion(db)).toBe(1);
    const tablesBefore = db.prepare(`select name from sqlite_master where type = 'table'`).all().length;
    expect(migrate(db, MIGRATIONS, 2)).toEqual([2]);
    expect(userVersion(db)).toBe(2);
    const names = (db.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining(['uploads', 'upload_steps', 'local_entities', 'local_facts', 'known_clients', 'validations']),
    );
    expect(names.length).toBe(tablesBefore + 5);
  });

  it('journals an upload write-ahead, its steps, and finds it again as interrupted after a crash', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    insertUpload(db, upload, new Date('2025-10-01T09:00:00Z'));
    const journal = uploadJournal(db, () => new Date('2025-10-01T09:00:05Z'));
    journal.stepDone(upload.id, 'begin', 120, { status: 'pending' });
    journal.stepDone(upload.id, 'stage:0', 480, { staged: 2500 });
    // The process dies here: the row still says running, and resume finds it.
    expect(interruptedUploads(db).map((u) => u.id)).toEqual([upload.id]);
    expect(uploadSteps(db, upload.id).map((s) => s.step)).toEqual(['begin', 'stage:0']);
    journal.setState(upload.id, { status: 'failed', error: { code: 'RATE_LIMITED', message: 'Ten uploads this hour.', stage: 'begin' } });
    expect(getUpload(db, upload.id)?.error?.code).toBe('RATE_LIMITED');
    expect(interruptedUploads(db)).toEqual([]);
  });

  it('finds interrupted uploads through its index', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    const plan = db
      .prepare(`explain query plan select * from uploads where status in ('running','interrupted') order by created_at`)
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/uploads_by_status/);
  });
});
