import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeMetaExport } from '../../bench/make-meta-export.ts';
import { startGateway } from '../gateway/server.ts';
import { factRows, factSums, newClient, signedInDesk, startWorld, trimDecimal, type UploadWorld } from './env.ts';

// 3,500 rows: two stage batches and four fact batches, so faults can land inside each stage.
const ROWS = 3_500;
let world: UploadWorld;
let exportPath: string;

beforeAll(async () => {
  world = await startWorld({ accessTokenTtlSeconds: 3600 });
  exportPath = join(mkdtempSync(join(tmpdir(), 'metricdrop-export-')), 'meta-ad-daily.csv');
  await makeMetaExport(exportPath, ROWS);
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => world.gateway.faults.clear());

// The rows a clean upload of the export leaves, made by whichever test needs them first (the tests
// run in any order).
let referenceUpload: Promise<{ rows: string[]; spend: string | undefined; fileSpend: string; plan: unknown }> | undefined;
function cleanUpload() {
  referenceUpload ??= (async () => {
    const clientId = await newClient(world, 'Reference Co');
    const desk = await signedInDesk(world);
    try {
      const v = await desk.validate(exportPath);
      expect(v.result.report.rows.valid).toBe(ROWS);
      const up = await desk.service.upload(v.id, { clientRef: 'Reference Co' });
      expect(up.error).toBeNull();
      const sums = await factSums(world.sql, clientId);
      return { rows: await factRows(world, clientId), spend: sums?.spend, fileSpend: v.result.report.totals.spend, plan: up.plan?.facts };
    } finally {
      desk.close();
    }
  })();
  return referenceUpload;
}
const reference = async () => (await cleanUpload()).rows;

describe('uploads that meet a bad network still end exact', () => {
  it('a clean upload of the 3,500-row export is the reference', async () => {
    const clean = await cleanUpload();
    expect(clean.plan).toEqual({ create: ROWS, update: 0, unchanged: 0 });
    expect(clean.rows).toHaveLength(ROWS);
    expect(trimDecimal(clean.spend!)).toBe(trimDecimal(clean.fileSpend));
  });

  it('responses lost after the commit (stage, dimensions, facts, finish) are replayed without duplicates', async () => {
    const expected = await reference(); // before any fault is set
    const clientId = await newClient(world, 'Dropped Replies Co');
    const desk = await signedInDesk(world);
    const v = await desk.validate(exportPath);
    const faults = ['stage_batch', 'resolve_dimensions', 'write_facts', 'finish_upload'].map((fn) =>
      world.gateway.faults.add({ match: new RegExp(`/rpc/${fn}$`), kind: 'drop-after-commit', times: 1 }),
    );
    const up = await desk.service.upload(v.id, { clientRef: 'Dropped Replies Co' });
    expect(up.error).toBeNull();
    expect(up.status).toBe('completed');
    expect(faults.map((f) => f.hits)).toEqual([1, 1, 1, 1]);
    expect(await factRows(world, clientId)).toEqual(expected);
    desk.close();
  });

  it('503 answers before any SQL and a slow server are retried until the upload completes', async () => {
    const expected = await reference(); // before any fault is set
    const clientId = await newClient(world, 'Flaky Gateway Co');
    const desk = await signedInDesk(world);
    const v = await desk.validate(exportPath);
    const unavailable = world.gateway.faults.add({ match: /\/rpc\//, kind: 'status-503-before-sql', times: 6 });
    const slow = world.gateway.faults.add({ match: /\/rpc\/write_facts$/, kind: 'delay', ms: 300, times: 2 });
    const up = await desk.service.upload(v.id, { clientRef: 'Flaky Gateway Co' });
    expect(up.error).toBeNull();
    expect(unavailable.hits).toBe(6);
    expect(slow.hits).toBe(2);
    expect(await factRows(world, clientId)).toEqual(expected);
    desk.close();
  });

  it('a server that stays down leaves the upload interrupted, and resume finishes it exactly', async () => {
    const expected = await reference(); // before any fault is set
    const clientId = await newClient(world, 'Outage Co');
    const desk = await signedInDesk(world);
    const v = await desk.validate(exportPath);
    // Every write_facts fails: the retries give up, what was committed stays, nothing is half-written.
    const outage = world.gateway.faults.add({ match: /\/rpc\/write_facts$/, kind: 'status-503-before-sql', times: Infinity });
    const first = await desk.service.upload(v.id, { clientRef: 'Outage Co' });
    expect(first.error?.code).toBe('SERVER_ERROR');
    expect(first.error?.stage).toBe('facts');
    expect((await desk.service.awaitingResume()).map((u) => u.uploadId)).toEqual([first.uploadId]);
    expect(await factRows(world, clientId)).toEqual([]);
    outage.remove();
    const [resumed] = await desk.service.resume(undefined);
    expect(resumed?.uploadId).toBe(first.uploadId);
    expect(resumed?.error).toBeNull();
    expect(resumed?.status).toBe('completed');
    expect(await desk.service.awaitingResume()).toEqual([]);
    expect(await factRows(world, clientId)).toEqual(expected);
    desk.close();
  });
});

describe('an access token that expires during the upload', () => {
  it('is refreshed and the upload continues without a lost or doubled batch', async () => {
    const expected = await reference(); // before any fault is set
    const shortLived = await startGateway({ databaseUrl: world.databaseUrl, accessTokenTtlSeconds: 60 });
    try {
      const clientId = await newClient(world, 'Short Token Co');
      let refreshes = 0;
      const counting: typeof fetch = (input, init) => {
        if (String(input instanceof Request ? input.url : input).includes('grant_type=refresh_token')) refreshes++;
        return fetch(input, init);
      };
      const desk = await signedInDesk(world, { gateway: shortLived, fetch: counting });
      const v = await desk.validate(exportPath);
      const up = await desk.service.upload(v.id, { clientRef: 'Short Token Co' });
      expect(up.error).toBeNull();
      // A 60-second token is inside supabase-js's 90-second margin: every call refreshes it first.
      expect(refreshes).toBeGreaterThan(3);
      expect(await factRows(world, clientId)).toEqual(expected);
      desk.close();
    } finally {
      await shortLived.close();
    }
  });
});
