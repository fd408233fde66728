import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY } from '../../electron/engine/upload/rpc.ts';
import { manualClock, type ManualClock } from '../support/manual-clock.ts';
import { factSums, newClient, signedInDesk, startWorld, type UploadWorld } from './env.ts';

/**
 * The waits between retries of the ingest calls are on the engine's clock: with a clock the test
 * moves, a retry happens when the test says the policy's delay has passed, not after real time.
 * The production policy, with the jitter at its longest so each wait is exactly known.
 */
const FILE = 'tiktok/ad-daily-by-day-total-row.csv';
const PRODUCTION_POLICY = { retry: DEFAULT_RETRY, random: () => 1 };
/** runner.ts's own policy for telling the server an upload failed: attempts 2, base 200 ms. */
const FAIL_UPLOAD_WAIT = 200;

let world: UploadWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});
beforeEach(() => world.gateway.faults.clear());

/** The network of one computer, counting the ingest calls it sends by function name. */
function countingRpcs(answer: (fn: string) => Response | null = () => null) {
  const sent = new Map<string, number>();
  const fetchThrough: typeof fetch = async (input, init) => {
    const fn = /\/rest\/v1\/rpc\/([a-z_]+)$/.exec(new URL(input instanceof Request ? input.url : String(input)).pathname)?.[1];
    if (fn) sent.set(fn, (sent.get(fn) ?? 0) + 1);
    return (fn ? answer(fn) : null) ?? (await fetch(input, init));
  };
  return { fetch: fetchThrough, sent: (fn: string) => sent.get(fn) ?? 0 };
}

/** Resolves once the engine waits on `clock`; fails the test if `run` ends first (it waited on something else). */
async function waitsOn(clock: ManualClock, run: Promise<unknown>): Promise<void> {
  let waited = false;
  const endedFirst = () => {
    if (!waited) throw new Error('the upload ended without waiting on the engine clock');
  };
  try {
    await Promise.race([clock.sleeping(), run.then(endedFirst, endedFirst)]);
  } finally {
    waited = true;
  }
}

async function uploadStatus(uploadId: string) {
  const r = await world.sql.query<{ status: string; code: string | null }>(
    `select status, summary #>> '{error,code}' code from public.data_uploads where id = $1`,
    [uploadId],
  );
  return r.rows[0];
}

describe("an upload's retries wait on the engine's clock", () => {
  it("a 503 is sent again only after the policy's delay on the clock, and the upload then completes", async () => {
    const clock = manualClock();
    const net = countingRpcs();
    const desk = await signedInDesk(world, { clock, rpc: PRODUCTION_POLICY, fetch: net.fetch });
    try {
      const clientId = await newClient(world, 'Clocked Retry Co');
      const v = await desk.validate(FILE);
      const unavailable = world.gateway.faults.add({ match: /\/rpc\/stage_batch$/, kind: 'status-503-before-sql', times: 1 });
      const upload = desk.service.upload(v.id, { clientRef: 'Clocked Retry Co' });
      await waitsOn(clock, upload);
      expect(clock.waits()).toEqual([DEFAULT_RETRY.baseDelayMs]);
      expect(unavailable.hits).toBe(1);
      // advance() wakes every sleep then due before it returns: the retry's wait is still pending.
      clock.advance(DEFAULT_RETRY.baseDelayMs - 1);
      expect(clock.waits()).toEqual([DEFAULT_RETRY.baseDelayMs]);
      expect(net.sent('stage_batch')).toBe(1);
      expect(net.sent('write_facts')).toBe(0);

      clock.advance(1);
      const up = await upload;
      expect(up.error).toBeNull();
      expect(up.status).toBe('completed');
      expect(net.sent('stage_batch')).toBe(2);
      expect((await factSums(world.sql, clientId))?.n).toBe(String(v.result.rows.length));
    } finally {
      desk.close();
    }
  });

  it('cancelling during a retry wait ends the upload as CANCELLED without moving the clock, and resume finishes it', async () => {
    const clock = manualClock();
    const net = countingRpcs();
    const desk = await signedInDesk(world, { clock, rpc: PRODUCTION_POLICY, fetch: net.fetch });
    try {
      const clientId = await newClient(world, 'Cancelled Retry Co');
      const v = await desk.validate(FILE);
      world.gateway.faults.add({ match: /\/rpc\/write_facts$/, kind: 'status-503-before-sql', times: Infinity });
      const cancel = new AbortController();
      const upload = desk.service.upload(v.id, { clientRef: 'Cancelled Retry Co' }, { signal: cancel.signal });
      await waitsOn(clock, upload);
      expect(net.sent('write_facts')).toBe(1);

      cancel.abort();
      const up = await upload;
      expect(up.error?.code).toBe('CANCELLED');
      expect(up.error?.stage).toBe('facts');
      // Nothing waits on the clock to send it again: the one write_facts sent is all there is.
      expect(clock.waits()).toEqual([]);
      expect(net.sent('write_facts')).toBe(1);
      expect((await desk.service.awaitingResume()).map((u) => u.uploadId)).toEqual([up.uploadId]);
      expect((await factSums(world.sql, clientId))?.n).toBe('0');

      world.gateway.faults.clear();
      const [resumed] = await desk.service.resume(undefined);
      expect(resumed).toMatchObject({ uploadId: up.uploadId, error: null, status: 'completed' });
      expect((await factSums(world.sql, clientId))?.n).toBe(String(v.result.rows.length));
    } finally {
      desk.close();
    }
  });

  it("a refused upload is still recorded as failed on the server when the first report of it meets a 503: tried again after fail_upload's short wait", async () => {
    const clock = manualClock();
    // The project refuses the facts (as it would a member who lost their access mid-upload).
    const refused = () =>
      new Response(JSON.stringify({ code: '42501', message: 'permission denied for function write_facts', hint: null, details: null }), {
        status: 403,
        headers: { 'Content-Type': 'application/json' },
      });
    const net = countingRpcs((fn) => (fn === 'write_facts' ? refused() : null));
    const desk = await signedInDesk(world, { clock, rpc: PRODUCTION_POLICY, fetch: net.fetch });
    try {
      await newClient(world, 'Refused Facts Co');
      const v = await desk.validate(FILE);
      const unavailable = world.gateway.faults.add({ match: /\/rpc\/fail_upload$/, kind: 'status-503-before-sql', times: 1 });
      const upload = desk.service.upload(v.id, { clientRef: 'Refused Facts Co' });
      await waitsOn(clock, upload);
      expect(clock.waits()).toEqual([FAIL_UPLOAD_WAIT]);
      expect(unavailable.hits).toBe(1);
      expect(net.sent('write_facts')).toBe(1);

      clock.advance(FAIL_UPLOAD_WAIT);
      const up = await upload;
      expect(up.error?.code).toBe('NOT_AUTHORIZED');
      expect(up.error?.stage).toBe('facts');
      expect(net.sent('fail_upload')).toBe(2);
      expect(await uploadStatus(up.uploadId!)).toEqual({ status: 'failed', code: 'NOT_AUTHORIZED' });
    } finally {
      desk.close();
    }
  });
});
