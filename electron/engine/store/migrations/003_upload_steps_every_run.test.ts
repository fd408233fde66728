import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { testUpload } from '../../../../test/support/test-upload.ts';
import { insertUpload, uploadJournal, uploadSteps } from '../uploads.ts';

const upload = testUpload({
  id: '0b8e0d1c-2a11-4f0e-9a55-6f0c1d7e3b7a',
  platform: 'tiktok',
  mode: 'FULL_DRY_RUN',
  fileName: 'tiktok-sept.csv',
  sha256: 'b'.repeat(64),
  rowCount: 1200,
});

describe("local store migration 003 (every run of an upload's steps)", () => {
  it('keeps the steps a version-2 store had, in their order', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS, 2);
    insertUpload(db, upload, new Date('2025-10-01T09:00:00Z'));
    const insert = db.prepare('insert into upload_steps (upload_id, step, ms, result_json, at) values (?, ?, ?, ?, ?)');
    insert.run(upload.id, 'begin', 10, '{"status":"pending"}', '2025-10-01T09:00:01.000Z');
    insert.run(upload.id, 'stage:0', 200, null, '2025-10-01T09:00:02.000Z');
    expect(migrate(db, MIGRATIONS, 3)).toEqual([3]);
    expect(userVersion(db)).toBe(3);
    expect(uploadSteps(db, upload.id).map((s) => [s.step, s.ms, s.result])).toEqual([
      ['begin', 10, { status: 'pending' }],
      ['stage:0', 200, null],
    ]);
  });

  it("a committed dry run keeps the dry run's steps and the commit's, in the order they ran", () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS);
    insertUpload(db, upload, new Date('2025-10-01T09:00:00Z'));
    const journal = uploadJournal(db, () => new Date('2025-10-01T09:00:05Z'));
    for (const step of [
      'begin',
      'stage:0',
      'dimensions:campaign',
      'facts:0',
      'finish',
      'promote',
      'dimensions:campaign',
      'facts:0',
      'finish',
    ]) {
      journal.stepDone(upload.id, step, 5, null);
    }
    expect(uploadSteps(db, upload.id).map((s) => s.step)).toEqual([
      'begin',
      'stage:0',
      'dimensions:campaign',
      'facts:0',
      'finish',
      'promote',
      'dimensions:campaign',
      'facts:0',
      'finish',
    ]);
    const plan = db.prepare('explain query plan select * from upload_steps where upload_id = ? order by id').all('x') as Array<{
      detail: string;
    }>;
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/upload_steps_by_upload/);
  });
});
