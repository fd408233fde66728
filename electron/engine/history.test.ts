import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HistoryDetail, HistoryEntry, type HistoryQuery } from '../../shared/ipc-contract.ts';
import { createHistory } from './history.ts';
import { openStore, type Store } from './store/open.ts';
import { insertUpload, stagedDryRunsOf, uploadJournal, type NewUpload } from './store/uploads.ts';
import { recordValidation } from './store/validations.ts';
import { validateExport } from './validate/index.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'test', 'fixtures', name);
const CLIENT = '0b7c1f4e-9a53-4d3e-8f7a-2f5d2c1e9a01';
const OTHER_CLIENT = '7e2d4c1b-3a59-4f6e-8d0c-9b8a7f6e5d4c';
const FAILED = '10000000-0000-4000-8000-000000000001';
const STAGED = '10000000-0000-4000-8000-000000000002';
const RUNNING = '10000000-0000-4000-8000-000000000003';
const DONE = '10000000-0000-4000-8000-000000000004';
const november = (i: number) => `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function upload(id: string, over: Partial<NewUpload> = {}): NewUpload {
  return {
    id,
    validationId: 'v-recent',
    workspaceId: '5d1e3c2b-7a48-4b6f-9e0d-1c2b3a4d5e6f',
    clientId: CLIENT,
    clientName: 'Bluebird Coffee',
    platform: 'meta',
    mode: 'COMMIT',
    fileName: 'meta-november.csv',
    sha256: 'a'.repeat(64),
    rowCount: 9,
    level: 'ad',
    currency: 'USD',
    userId: '33333333-3333-4333-8333-333333333333',
    userEmail: 'maya@agency.example',
    serverUrl: 'https://abcd.supabase.co',
    stageBatchRows: 5000,
    ...over,
  };
}

/**
 * A computer's store a year into use: in January a validation, a failed upload, a staged dry run, an
 * upload still running and one the server completed; then 1,200 completed uploads in November.
 */
let db: Store;
beforeAll(async () => {
  db = openStore(':memory:');
  const journal = uploadJournal(db, () => new Date());
  const { report, rows } = await validateExport(fixture('meta/ad-daily-row-errors.csv'));
  recordValidation(db, { id: 'v-january', at: new Date('2026-01-05T08:00:00Z'), filePath: '/exports/jan.csv', report, rows });
  insertUpload(db, upload(FAILED, { validationId: 'v-january', fileName: 'jan.csv' }), new Date('2026-01-05T09:00:00Z'));
  journal.setState(FAILED, {
    status: 'failed',
    serverStatus: 'staged',
    error: { code: 'NETWORK_ERROR', message: 'The connection was lost.' },
  });
  insertUpload(db, upload(STAGED, { validationId: 'v-january', mode: 'FULL_DRY_RUN' }), new Date('2026-01-06T09:00:00Z'));
  journal.setState(STAGED, { status: 'staged', serverStatus: 'staged' });
  insertUpload(db, upload(RUNNING, { clientId: OTHER_CLIENT, clientName: 'Acme Outdoor' }), new Date('2026-01-07T09:00:00Z'));
  insertUpload(db, upload(DONE, { platform: 'google' }), new Date('2026-01-08T09:00:00Z'));
  journal.setState(DONE, { status: 'completed', serverStatus: 'completed' });
  db.transaction(() => {
    for (let i = 0; i < 1200; i++) {
      const id = november(i);
      insertUpload(db, upload(id), new Date(Date.parse('2026-11-02T00:00:00Z') + i * 60_000));
      journal.setState(id, { status: 'completed' });
    }
  })();
});

describe('the history, filtered before it is cut to its limit', () => {
  const history = () => createHistory(db);
  const ids = (q: HistoryQuery) =>
    history()
      .list(q)
      .map((e) => e.id);

  it('finds January entries by day however many uploads came after them, newest first', () => {
    const january = history().list({ from: '2026-01-01', to: '2026-01-31' });
    expect(january.map((e) => [e.id, e.kind, e.status])).toEqual([
      [DONE, 'upload', 'completed'],
      [RUNNING, 'upload', 'running'],
      [STAGED, 'dry-run', 'staged'],
      [FAILED, 'upload', 'failed'],
      ['v-january', 'validate', 'validated'],
    ]);
    expect(january.map((e) => HistoryEntry.parse(e))).toEqual(january);
    expect(ids({ from: '2026-01-06', to: '2026-01-07' })).toEqual([RUNNING, STAGED]);
  });

  it('finds the one failed upload by its status, and the staged dry run by its own', () => {
    expect(
      history()
        .list({ status: 'failed' })
        .map((e) => [e.id, e.error?.code]),
    ).toEqual([[FAILED, 'NETWORK_ERROR']]);
    expect(ids({ status: 'staged' })).toEqual([STAGED]);
    expect(ids({ status: 'running' })).toEqual([RUNNING]);
    expect(ids({ status: 'validated' })).toEqual(['v-january']);
  });

  it('filters by platform and client the same way', () => {
    expect(ids({ platform: 'google' })).toEqual([DONE]);
    expect(ids({ clientId: OTHER_CLIENT })).toEqual([RUNNING]);
  });

  it('cuts the newest entries to the limit', () => {
    expect(ids({ limit: 3 })).toEqual([november(1199), november(1198), november(1197)]);
    expect(history().list({}).length).toBe(200);
    expect(history().list({ status: 'completed', limit: 1000 }).length).toBe(1000);
  });

  it('shows one entry with the status the list gives it', () => {
    for (const id of [FAILED, STAGED, RUNNING, DONE]) {
      const entry = HistoryDetail.parse(history().entry(id));
      const [listed] = history()
        .list({ from: entry.createdAt.slice(0, 10), to: entry.createdAt.slice(0, 10) })
        .filter((e) => e.id === id);
      expect(entry.status).toBe(listed!.status);
    }
  });
});

describe('the staged dry runs a new dry run or upload of the same file gives up', () => {
  it('are found by the file’s validation, however many uploads came after them', () => {
    // The failed upload of the same validation also says "staged" on the server, but it is no dry run.
    expect(stagedDryRunsOf(db, 'v-january').map((u) => u.id)).toEqual([STAGED]);
    expect(stagedDryRunsOf(db, 'v-recent')).toEqual([]);
  });
});
