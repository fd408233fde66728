import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURES,
  factSums,
  newClient,
  signedInClient,
  signedInDesk,
  startWorld,
  trimDecimal,
  type Desk,
  type UploadWorld,
} from './env.ts';

let world: UploadWorld;
let desk: Desk;
const renamed = join(FIXTURES, 'mapping', 'meta-campaign-renamed-spend.csv');
const renamedNext = join(FIXTURES, 'mapping', 'meta-campaign-renamed-spend-next.csv');

beforeAll(async () => {
  world = await startWorld();
  desk = await signedInDesk(world);
});
afterAll(async () => {
  desk?.close();
  await world?.close();
});

async function summaryOf(uploadId: string): Promise<Record<string, unknown>> {
  const r = await world.sql.query<{ summary: Record<string, unknown> }>('select summary from public.data_uploads where id = $1', [
    uploadId,
  ]);
  return r.rows[0]!.summary;
}

describe('an upload of a file read with a confirmed column mapping', () => {
  it('writes the mapped numbers exactly and records the mapping in data_uploads.summary and the local audit log', async () => {
    const clientId = await newClient(world, 'Mapped Boots', 'EUR');
    const v = await desk.engine.validateFile(renamed, { mapping: { platform: 'meta', fields: { spend: 'Budget used (EUR)' } } });
    expect(v.report.refused).toBeNull();
    const target = { clientRef: clientId };
    const result = await desk.service.upload(v.validationId, target);
    expect(result.error).toBeNull();
    expect(result.status).toBe('completed');
    const sums = await factSums(world.sql, clientId);
    expect({ n: sums!.n, spend: trimDecimal(sums!.spend), impressions: sums!.impressions }).toEqual({
      n: '4',
      spend: '67.13',
      impressions: '4915',
    });
    const summary = await summaryOf(result.uploadId!);
    expect(summary.column_mapping).toMatchObject({
      platform: 'meta',
      fields: { spend: 'Budget used (EUR)' },
      source: 'given',
      mapping_id: v.report.mapped!.id,
    });
    expect(summary.plan).toBeDefined();

    const uploadEvent = desk.engine.auditEvents({ subjectId: result.uploadId! }).find((e) => e.kind === 'upload');
    expect((uploadEvent!.detail as { mapped?: { fields: unknown } }).mapped?.fields).toEqual({ spend: 'Budget used (EUR)' });

    // The next file with the same header: the saved mapping, through a server dry run committed as planned.
    const next = await desk.engine.validateFile(renamedNext);
    expect(next.report.mapped).toMatchObject({ source: 'saved' });
    const dry = await desk.service.dryRun(next.validationId, target);
    expect(dry.error).toBeNull();
    expect((await summaryOf(dry.uploadId!)).column_mapping).toMatchObject({ source: 'saved' });
    const committed = await desk.service.commitDryRun(dry.uploadId!);
    expect(committed.status).toBe('completed');
    expect((await summaryOf(dry.uploadId!)).column_mapping).toMatchObject({
      platform: 'meta',
      fields: { spend: 'Budget used (EUR)' },
      source: 'saved',
    });
    expect(trimDecimal((await factSums(world.sql, clientId))!.spend)).toBe('98.44');
  });

  it("only the uploader can note a mapping, and only with the upload's platform", async () => {
    const sb = await signedInClient(world);
    const other = world.info.workspaces[1]!.users.find((u) => u.role === 'member')!;
    const stranger = await signedInClient(world, other);
    const clientId = await newClient(world, 'Mapped Socks', 'EUR');
    const v = await desk.engine.validateFile(renamed, {
      mapping: { platform: 'meta', fields: { spend: 'Budget used (EUR)' } },
      saveMapping: false,
    });
    const dry = await desk.service.dryRun(v.validationId, { clientRef: clientId }, undefined, { keep: true });
    const wrongPlatform = await sb.rpc('note_upload_mapping', { p_upload_id: dry.uploadId, p_mapping: { platform: 'google', fields: {} } });
    expect(wrongPlatform.error?.message).toMatch(/INVALID_INPUT/);
    const foreign = await stranger.rpc('note_upload_mapping', { p_upload_id: dry.uploadId, p_mapping: { platform: 'meta', fields: {} } });
    expect(foreign.error?.message).toMatch(/UPLOAD_NOT_FOUND/);
  });
});
