import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { packBatches, stagingOrder, type PackedBatch } from '../../electron/engine/upload/packing.ts';
import { callRpc, expectRefusal } from './as-user.ts';
import { connectFreshDatabase } from './connect.ts';
import { createTenant, makeRows, type StagedRow, type Tenant } from './seed.ts';
import { begin, finish, progress, resolve, stage, upload, writeFacts, type Upload } from './upload.ts';

/** stage_batch (040): rows packed as the app sends them over a slow link, staged as canonical rows. */
let db: pg.Client;
let t: Tenant;

beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
});
// A workspace runs at most 3 uploads at once: each test has its own.
beforeEach(async () => {
  t = await createTenant(db, 'packed');
});
afterAll(async () => {
  await db?.end();
});

function packed(rows: StagedRow[], maxBytes = 96 * 1024): PackedBatch[] {
  return [...packBatches(stagingOrder(rows), { maxBytes, maxRows: 5000 })].map((b) => b.packed);
}

async function stageBatch(u: Upload, batchNo: number, batch: unknown) {
  return await callRpc<{ batch_no: number; staged: number; total_staged: number }>(db, u.actor, 'stage_batch', {
    p_upload_id: u.uploadId,
    p_batch_no: batchNo,
    p_batch: batch,
  });
}

async function begun(rows: StagedRow[], level: 'campaign' | 'ad_set' | 'ad' = 'ad', extra: Partial<Upload> = {}): Promise<Upload> {
  const u = upload({ actor: t.member, workspaceId: t.workspaceId, clientId: t.clientId, rows, level, ...extra });
  await begin(db, u);
  return u;
}

async function stagedPayloads(u: Upload): Promise<StagedRow[]> {
  const r = await db.query<StagedRow>('select row_number, payload from public.staging_rows where upload_id = $1 order by row_number', [
    u.uploadId,
  ]);
  return r.rows;
}

describe('stage_batch', () => {
  it('stages exactly the canonical rows it packs, at every level, with or without a currency, and the upload completes from them', async () => {
    for (const [level, currency] of [
      ['ad', null],
      ['ad_set', null],
      ['campaign', null],
      ['ad', 'USD'],
      ['campaign', 'USD'],
    ] as const) {
      const rows = makeRows({
        level,
        campaigns: 3,
        adSetsPerCampaign: 3,
        adsPerAdSet: 4,
        days: 40,
        idPrefix: `9${level.length}${currency ? 1 : 0}`,
      }).map((r) => (currency ? { ...r, payload: { ...r.payload, currency } } : r));
      const u = await begun(rows, level);
      const batches = packed(rows, 2 * 1024);
      expect(batches.length).toBeGreaterThan(1);
      for (let k = 0; k < batches.length; k++) await stageBatch(u, k, batches[k]);
      expect(await stagedPayloads(u)).toEqual(rows);
      for (const e of ['campaign', 'ad_set', 'ad'] as const) await resolve(db, u, e);
      for (let k = 0; k < Math.ceil(rows.length / 1000); k++) await writeFacts(db, u, k);
      const fin = await finish(db, u);
      expect(fin.plan.facts).toEqual({ create: rows.length, update: 0, unchanged: 0 });
    }
  });

  it("writes each batch's entities as it stages them: the same entities and first rows as collecting them from the staged rows", async () => {
    const rows = makeRows({ level: 'ad', campaigns: 3, adSetsPerCampaign: 2, adsPerAdSet: 3, days: 30, idPrefix: '79' });
    const entities = async (u: Upload) =>
      (
        await db.query(
          `select campaign_external_id, campaign_name, ad_set_external_id, ad_set_name, ad_external_id, ad_name, min(first_row) first_row
           from public.staging_entities where upload_id = $1 group by 1, 2, 3, 4, 5, 6 order by 7`,
          [u.uploadId],
        )
      ).rows;
    const keyed = await begun(rows, 'ad', { stageBatch: 100 });
    for (let k = 0; k < Math.ceil(rows.length / 100); k++) await stage(db, keyed, k);
    const packedUpload = await begun(rows, 'ad', { sha256: 'e'.repeat(64) });
    // Small batches: an ad's rows and a campaign's ads span several of them.
    const batches = packed(rows, 1024);
    for (let k = 0; k < batches.length; k++) await stageBatch(packedUpload, k, batches[k]);
    expect((await entities(packedUpload)).length).toBe(18);
    await resolve(db, keyed, 'campaign');
    await resolve(db, packedUpload, 'campaign');
    expect(await entities(packedUpload)).toEqual(await entities(keyed));
  });

  it('answers a replayed batch as before and stores nothing twice; the same number with other rows is a conflict', async () => {
    const rows = makeRows({ level: 'ad', days: 4, idPrefix: '77' });
    const u = await begun(rows);
    const [b0, b1] = packed(rows, 1024);
    const first = await stageBatch(u, 0, b0);
    expect(await stageBatch(u, 0, b0)).toEqual(first);
    expect(await stagedPayloads(u)).toHaveLength(first.staged);
    await expectRefusal(stageBatch(u, 0, b1), 'UPLOAD_CONFLICT', /already staged with different rows/);
    expect((await progress(db, u)).staged_batches).toEqual([0]);
  });

  it('refuses a bad value with its row number, as stage_rows does, storing nothing of the batch', async () => {
    const rows = makeRows({ level: 'ad', days: 2, idPrefix: '78' });
    const u = await begun(rows);
    const [b] = packed(rows);
    const lines = b!.rows.split(';');
    const fields = lines[3]!.split(',');
    fields[5] = '12.5.1'; // spend
    const bad = { ...b, rows: [...lines.slice(0, 3), fields.join(','), ...lines.slice(4)].join(';') };
    const f = await expectRefusal(stageBatch(u, 0, bad), 'INVALID_VALUE', new RegExp(`^Row ${fields[0]}: spend`));
    expect(JSON.parse(f.detail ?? '{}')).toMatchObject({ row: Number(fields[0]), column: 'spend', batch_no: 0 });
    expect(await stagedPayloads(u)).toEqual([]);
  });

  it('refuses a row number outside 1 to 999,999,999, or not written plainly, naming its item as stage_rows does', async () => {
    const rows = makeRows({ level: 'ad', days: 2, idPrefix: '7a' });
    const u = await begun(rows);
    const [b] = packed(rows);
    const lines = b!.rows.split(';');
    for (const rowNumber of ['0', '01', '1000000000', '-3']) {
      const fields = lines[2]!.split(',');
      fields[0] = rowNumber;
      const bad = { ...b, rows: [...lines.slice(0, 2), fields.join(','), ...lines.slice(3)].join(';') };
      await expectRefusal(
        stageBatch(u, 0, bad),
        'INVALID_INPUT',
        /^Item 3 of batch 0: row_number must be a whole number of at least 1, not null\.$/,
      );
    }
    expect(await stagedPayloads(u)).toEqual([]);
    const fields = lines[2]!.split(',');
    fields[0] = '999999999';
    const highest = { ...b, rows: [...lines.slice(0, 2), fields.join(','), ...lines.slice(3)].join(';') };
    expect(await stageBatch(u, 0, highest)).toMatchObject({ staged: lines.length });
    expect((await stagedPayloads(u)).map((r) => r.row_number)).toContain(999999999);
  });

  it('refuses a new batch once the upload is past staging with its status, as stage_rows does, storing nothing', async () => {
    const rows = makeRows({ level: 'ad', days: 2, idPrefix: '7b' });
    const u = await begun(rows);
    const [b] = packed(rows);
    await stageBatch(u, 0, b);
    await resolve(db, u, 'campaign'); // a COMMIT upload is committing from here on
    const before = await stagedPayloads(u);
    await expectRefusal(
      stageBatch(u, 1, b),
      'UPLOAD_CONFLICT',
      /^This upload is committing: its rows can no longer be changed\. Begin a new upload to send other rows\.$/,
    );
    expect(await stagedPayloads(u)).toEqual(before);
    expect((await progress(db, u)).staged_batches).toEqual([0]);
  });

  it('refuses a malformed batch as INVALID_INPUT naming what is wrong, whatever the app sent', async () => {
    const rows = makeRows({ level: 'ad', days: 2, idPrefix: '79' });
    const u = await begun(rows);
    const [b] = packed(rows);
    const cases: Array<[unknown, RegExp]> = [
      [[{ row_number: 2, payload: rows[0]!.payload }], /not a packed batch/],
      [{ ...b, extra: 1 }, /not a packed batch/],
      [{ ...b, rows: '' }, /1 to 5,000 rows; batch 0 has 0/],
      [{ ...b, rows: Array(5001).fill(b!.rows.split(';')[0]).join(';') }, /1 to 5,000 rows; batch 0 has 5001/],
      [{ ...b, rows: `${b!.rows};2,0,999,1,1,1,1,1` }, /line \d+ of the rows/],
      [{ ...b, rows: `${b!.rows};2,x,0,1,1,1,1,1` }, /line \d+ of the rows/],
      [{ ...b, rows: `${b!.rows};2,0,0,1,1,1` }, /line \d+ of the rows/],
      [{ ...b, rows: `${b!.rows};2,0,0,1,1,1,1,1,0` }, /line \d+ of the rows/], // no currencies list
      [{ ...b, currencies: ['USD'], rows: `${b!.rows};2,0,0,1,1,1,1,1,0,0` }, /line \d+ of the rows/], // a field past the currency index
      [{ ...b, currencies: ['USD'], rows: `${b!.rows};2,0,0,1,1,1,1,1,0000000` }, /line \d+ of the rows/], // an index of 7 digits
      [{ ...b, ads: [...b!.ads!, ['1', 'Ad', 99]] }, /ads entry \d+ must be \[id, name, parent index\]/],
      [{ ...b, ads: [...b!.ads!, ['1', 'Ad', '0000000']] }, /ads entry \d+ must be \[id, name, parent index\]/],
      [{ ...b, ad_sets: [...b!.ad_sets!, ['1', 2, 0]] }, /ad_sets entry \d+ must be/],
      [{ ...b, campaigns: [...b!.campaigns, 'x'] }, /campaigns entry \d+ must be \[id, name\]/],
      [{ ...b, dates: [...b!.dates, 20240301] }, /dates entry \d+ must be text/],
    ];
    for (const [batch, message] of cases) await expectRefusal(stageBatch(u, 0, batch), 'INVALID_INPUT', message);
    expect(await stagedPayloads(u)).toEqual([]);
  });

  it('keeps the checks of stage_rows: an unknown upload, a viewer, and another member are refused', async () => {
    const rows = makeRows({ level: 'ad', days: 1, idPrefix: '80' });
    const u = await begun(rows);
    const [b] = packed(rows);
    await expectRefusal(stageBatch({ ...u, uploadId: '00000000-0000-4000-8000-000000000000' }, 0, b), 'UPLOAD_NOT_FOUND');
    await expectRefusal(stageBatch({ ...u, actor: t.viewer }, 0, b), 'NOT_AUTHORIZED');
    await expectRefusal(stageBatch({ ...u, actor: t.owner }, 0, b), 'NOT_AUTHORIZED', /Another member/);
    expect(await stagedPayloads(u)).toEqual([]);
  });
});
