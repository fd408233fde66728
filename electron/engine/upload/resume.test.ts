import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InterruptedUpload } from '../../../shared/ipc-contract.ts';
import { createEngine, silentLogger } from '../index.ts';
import { insertIntent } from '../store/intents.ts';
import { openStore, storeFile } from '../store/open.ts';
import { insertUpload, uploadJournal } from '../store/uploads.ts';

const CLIENT = '0b7c1f4e-9a53-4d3e-8f7a-2f5d2c1e9a01';
const WORKSPACE = '5d1e3c2b-7a48-4b6f-9e0d-1c2b3a4d5e6f';

describe('what resume would continue, as the resume banner lists it', () => {
  it('uploads never sent and interrupted ones, oldest first, each with its client and last stage', async () => {
    const home = mkdtempSync(join(tmpdir(), 'md-resume-'));
    const db = openStore(storeFile(home));
    let t = Date.parse('2026-12-02T09:00:00Z');
    const clock = { now: () => new Date((t += 60_000)) };
    const engine = createEngine({ db, clock, logger: silentLogger, home });
    try {
      const intent = (id: string, clientRef: string) =>
        insertIntent(
          db,
          {
            id,
            filePath: join(home, 'exports', 'meta-sept.csv'),
            fileBytes: 10,
            fileMtimeMs: 1,
            clientRef,
            workspaceRef: null,
            platform: 'meta',
          },
          clock.now(),
        );
      intent('11111111-1111-4111-8111-111111111111', 'Acme Outdoor');
      insertUpload(
        db,
        {
          id: '22222222-2222-4222-8222-222222222222',
          validationId: 'v1',
          workspaceId: WORKSPACE,
          clientId: CLIENT,
          clientName: 'Bluebird Coffee',
          platform: 'google',
          mode: 'COMMIT',
          fileName: 'google.csv',
          sha256: 'a'.repeat(64),
          rowCount: 1200,
          level: 'ad',
          currency: 'EUR',
          userId: '33333333-3333-4333-8333-333333333333',
          userEmail: 'maya@agency.example',
          serverUrl: 'https://abcd.supabase.co',
          stageBatchRows: 5000,
        },
        clock.now(),
      );
      uploadJournal(db, clock.now).stepDone('22222222-2222-4222-8222-222222222222', 'stage:1', 12, { staged: 1000 });
      intent('44444444-4444-4444-8444-444444444444', CLIENT);
      const list = await engine.uploads.awaitingResume();
      expect(list.map((u) => InterruptedUpload.parse(u))).toEqual(list);
      expect(list).toEqual([
        {
          uploadId: '11111111-1111-4111-8111-111111111111',
          fileName: 'meta-sept.csv',
          workspaceId: null,
          clientId: null,
          clientName: 'Acme Outdoor',
          platform: 'meta',
          rows: 0,
          startedAt: '2026-12-02T09:01:00.000Z',
          lastStage: null,
          notSent: true,
        },
        {
          uploadId: '22222222-2222-4222-8222-222222222222',
          fileName: 'google.csv',
          workspaceId: WORKSPACE,
          clientId: CLIENT,
          clientName: 'Bluebird Coffee',
          platform: 'google',
          rows: 1200,
          startedAt: '2026-12-02T09:02:00.000Z',
          lastStage: 'stage',
        },
        expect.objectContaining({ uploadId: '44444444-4444-4444-8444-444444444444', clientId: CLIENT, clientName: null, notSent: true }),
      ]);
    } finally {
      db.close();
    }
  });
});
