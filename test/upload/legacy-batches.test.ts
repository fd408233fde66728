import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMetaExport } from '../../bench/make-meta-export.ts';
import { openStore, storeFile } from '../../electron/engine/store/open.ts';
import { expectSumsEqual, factSums, newClient, signedInClient, signedInDesk, startWorld, type UploadWorld } from './env.ts';

// 3,500 rows: two keyed batches of 2,500 in the layout of versions before packed batches.
const ROWS = 3_500;
let world: UploadWorld;
let exportPath: string;

beforeAll(async () => {
  world = await startWorld();
  exportPath = join(mkdtempSync(join(tmpdir(), 'metricdrop-export-')), 'meta-ad-daily.csv');
  await makeMetaExport(exportPath, ROWS);
});
afterAll(async () => {
  await world?.close();
});

describe('an upload begun by a version before packed batches', () => {
  it('resumes in its own layout (keyed stage_rows batches of 2,500 rows), sends only the batch the server lacks and ends exact', async () => {
    const clientId = await newClient(world, 'Older Version Co');
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      const name = /\/rpc\/(\w+)/.exec(String(input instanceof Request ? input.url : input))?.[1];
      if (name) calls.push(name);
      return fetch(input, init);
    };
    const desk = await signedInDesk(world, { fetch: counting });
    const v = await desk.validate(exportPath);

    // The server began the upload and then went away while rows were being staged.
    const outage = world.gateway.faults.add({ match: /\/rpc\/stage_batch$/, kind: 'status-503-before-sql', times: Infinity });
    const first = await desk.service.upload(v.id, { clientRef: 'Older Version Co' });
    outage.remove();
    expect(first.error?.stage).toBe('stage');
    const uploadId = first.uploadId!;

    // What the older version had journalled and sent before it stopped: 2,500 rows per batch, and
    // batch 0 (the first 2,500 rows in row order) staged through stage_rows.
    const store = openStore(storeFile(desk.home));
    store.prepare('update uploads set stage_batch_rows = 2500 where id = ?').run(uploadId);
    store.close();
    const batch0 = desk.engine
      .validatedRows(v.id)
      .slice(0, 2500)
      .map((r) => ({ row_number: r.rowNumber, payload: r.row }));
    const supabase = await signedInClient(world);
    const staged = await supabase.rpc('stage_rows', { p_upload_id: uploadId, p_batch_no: 0, p_rows: batch0 });
    expect(staged.error).toBeNull();

    calls.length = 0;
    const [resumed] = await desk.service.resume(uploadId);
    expect(resumed?.error).toBeNull();
    expect(resumed?.status).toBe('completed');
    // Only batch 1 went, keyed; the packed format (another batch layout) was never used.
    expect(calls.filter((c) => c === 'stage_rows')).toHaveLength(1);
    expect(calls).not.toContain('stage_batch');
    const progress = await supabase.rpc('upload_progress', { p_upload_id: uploadId });
    expect(progress.data?.staged_batches).toEqual([0, 1]);
    expect(resumed?.plan?.facts).toEqual({ create: ROWS, update: 0, unchanged: 0 });
    expectSumsEqual(await factSums(world.sql, clientId), ROWS, v.result.report.totals);
    desk.close();
  });
});
