import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoWorkspace, signedInClient, startWorld, type UploadWorld } from './env.ts';

/**
 * Every refusal of the ingest functions as supabase-js shows it to the app: HTTP 400, `code` P0001,
 * the data contract's code in `hint`, and a sentence in `message` (docs/architecture.md).
 */
let world: UploadWorld;
let sb: SupabaseClient;
const ws = () => demoWorkspace(world);
const usd = () => ws().clients.find((c) => c.currency === 'USD')!;

const row = (n: number, over: Record<string, unknown> = {}) => ({
  row_number: n,
  payload: {
    date: '2025-09-01',
    campaign_external_id: '120215553310760183',
    campaign_name: 'Prospecting',
    ad_set_external_id: '120215553310770183',
    ad_set_name: 'LAL 1%',
    ad_external_id: `12021555331078018${n}`,
    ad_name: `Ad ${n}`,
    impressions: '100',
    clicks: '2',
    spend: '1.5',
    conversions: '0',
    conversion_value: '0',
    ...over,
  },
});

function beginArgs(over: Record<string, unknown> = {}) {
  return {
    p_upload_id: randomUUID(),
    p_workspace_id: ws().id,
    p_client_id: usd().id,
    p_platform: 'meta',
    p_mode: 'FULL_DRY_RUN',
    p_file_name: 'meta-sept.csv',
    p_file_sha256: 'ab'.repeat(32),
    p_file_bytes: 1234,
    p_row_count: 2,
    p_level: 'ad',
    p_currency: 'USD',
    ...over,
  };
}

beforeAll(async () => {
  world = await startWorld();
  sb = await signedInClient(world);
});
afterAll(async () => {
  await world?.close();
});

async function expectCode(
  call: PromiseLike<{ error: { code?: string; hint?: string | null; message?: string } | null; status: number }>,
  code: string,
) {
  const res = await call;
  expect(res.error, `expected ${code}`).not.toBeNull();
  expect(res.status).toBe(400);
  expect(res.error?.code).toBe('P0001');
  expect(res.error?.hint).toBe(code);
  expect(res.error?.message).toMatch(new RegExp(`^\\[${code}\\] [A-Z].{15,}`));
  return res.error!;
}

describe('refusals of begin_upload as the client sees them', () => {
  it.each([
    ['FILE_TOO_LARGE', { p_file_bytes: 50 * 1024 * 1024 + 1 }],
    ['TOO_MANY_ROWS', { p_row_count: 100_001 }],
    ['SCHEMA_INCOMPLETE', { p_kind: 'demographic_breakdown' }],
    ['CURRENCY_MISMATCH', { p_currency: 'EUR' }],
  ])('%s', async (code, over) => {
    await expectCode(sb.rpc('begin_upload', beginArgs(over)), code);
  });

  it('UPLOAD_CONFLICT: the same upload id for another file', async () => {
    const args = beginArgs();
    expect((await sb.rpc('begin_upload', args)).error).toBeNull();
    expect((await sb.rpc('begin_upload', args)).error).toBeNull(); // idempotent
    await expectCode(sb.rpc('begin_upload', { ...args, p_file_sha256: 'cd'.repeat(32) }), 'UPLOAD_CONFLICT');
  });

  it('NOT_AUTHORIZED: a workspace the user is not a member of', async () => {
    const other = world.info.workspaces[1]!;
    await expectCode(
      sb.rpc('begin_upload', beginArgs({ p_workspace_id: other.id, p_client_id: other.clients[0]!.id, p_currency: 'GBP' })),
      'NOT_AUTHORIZED',
    );
  });
});

describe('refusals of the later stages', () => {
  it('INVALID_VALUE names the row of a payload the app should never have sent', async () => {
    const args = beginArgs();
    expect((await sb.rpc('begin_upload', args)).error).toBeNull();
    const err = await expectCode(
      sb.rpc('stage_rows', { p_upload_id: args.p_upload_id, p_batch_no: 0, p_rows: [row(1), row(7, { spend: '-4.00' })] }),
      'INVALID_VALUE',
    );
    expect(err.message).toMatch(/\b7\b/);
    const staged = await world.sql.query('select 1 from public.staging_rows where upload_id = $1', [args.p_upload_id]);
    expect(staged.rowCount).toBe(0); // the whole batch is refused, nothing half-written
  });

  it('CONFLICTING_DIMENSION: one campaign id with two names in one upload', async () => {
    const args = beginArgs();
    expect((await sb.rpc('begin_upload', args)).error).toBeNull();
    const staged = await sb.rpc('stage_rows', {
      p_upload_id: args.p_upload_id,
      p_batch_no: 0,
      p_rows: [row(1), row(2, { campaign_name: 'Prospecting (renamed)' })],
    });
    expect(staged.error).toBeNull();
    await expectCode(sb.rpc('resolve_dimensions', { p_upload_id: args.p_upload_id, p_entity_type: 'campaign' }), 'CONFLICTING_DIMENSION');
  });

  it('UPLOAD_NOT_FOUND: progress of an upload that does not exist', async () => {
    await expectCode(sb.rpc('upload_progress', { p_upload_id: randomUUID() }), 'UPLOAD_NOT_FOUND');
  });
});
