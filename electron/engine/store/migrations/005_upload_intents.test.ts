import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { testUpload } from '../../../../test/support/test-upload.ts';
import { closeIntent, getIntent, insertIntent, markIntentStarted, markIntentValidated, pendingIntents } from '../intents.ts';
import { getUpload, insertUpload } from '../uploads.ts';

const intent = {
  id: '3c9a1f0e-7b2d-4e55-8a10-5d6e7f809a1b',
  filePath: '/home/maya/Downloads/meta-sept.csv',
  fileBytes: 1_234_567,
  fileMtimeMs: 1_759_300_000_000,
  clientRef: 'Acme Outdoor',
  workspaceRef: null,
  platform: null,
};
const at = (s: number) => new Date(Date.UTC(2025, 9, 1, 9, 0, s));

describe('local store migration 005 (uploads asked for, before the file is read)', () => {
  it('takes a version-4 store to version 5 and keeps its uploads', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 4);
    const upload = testUpload();
    insertUpload(db, upload, at(0));
    expect(migrate(db, MIGRATIONS, 5)).toEqual([5]);
    expect(userVersion(db)).toBe(5);
    expect(getUpload(db, upload.id)?.fileName).toBe('meta-sept.csv');
    expect(pendingIntents(db)).toEqual([]);
  });

  it('an intent is pending from before reading until its upload row exists, then the upload journal has it', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    insertIntent(db, intent, at(1));
    // Killed while reading: resume finds it with what was known before reading, and nothing more.
    expect(pendingIntents(db)).toEqual([
      expect.objectContaining({ ...intent, status: 'reading', sha256: null, validationId: null, uploadId: null }),
    ]);
    markIntentValidated(db, intent.id, { sha256: 'a'.repeat(64), validationId: 'v1' }, at(2));
    expect(pendingIntents(db)).toEqual([expect.objectContaining({ status: 'validated', sha256: 'a'.repeat(64), validationId: 'v1' })]);
    const upload = testUpload();
    insertUpload(db, upload, at(3));
    markIntentStarted(db, intent.id, upload.id, at(3));
    expect(pendingIntents(db)).toEqual([]);
    expect(getIntent(db, intent.id)).toMatchObject({ status: 'started', uploadId: upload.id });
    // The upload row must exist: an intent cannot point at an upload this computer never journaled.
    db.pragma('foreign_keys = on');
    expect(() => markIntentStarted(db, intent.id, 'no-such-upload', at(4))).toThrow(/FOREIGN KEY/);
  });

  it('an intent resume cannot finish is closed with the reason, oldest pending first, through the index', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    insertIntent(db, { ...intent, id: 'b' }, at(5));
    insertIntent(db, { ...intent, id: 'a', platform: 'meta' }, at(4));
    expect(pendingIntents(db).map((i) => i.id)).toEqual(['a', 'b']);
    closeIntent(db, 'a', 'abandoned', { code: 'FILE_CHANGED', message: 'gone' }, at(6));
    expect(pendingIntents(db).map((i) => i.id)).toEqual(['b']);
    expect(getIntent(db, 'a')).toMatchObject({ status: 'abandoned', outcome: { code: 'FILE_CHANGED', message: 'gone' } });
    const plan = db
      .prepare(`explain query plan select * from upload_intents where status in ('reading', 'validated') order by created_at`)
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/upload_intents_pending/);
  });
});
