import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAppError } from '../../electron/engine/upload/rpc.ts';
import { testClient } from '../gateway/harness.ts';
import { startGateway, type Gateway } from '../gateway/server.ts';
import { runCliInProcess } from '../support/run-cli.ts';
import { demoMember, demoWorkspace, FIXTURES, newClient, signedInDesk, startWorld, type Desk, type UploadWorld } from './env.ts';

/**
 * PostgREST's `client-error-verbosity = minimal` answers errors as {code, message} only: the hint
 * (where refusals carried their code) and the details are gone. The code also leads the message
 * (`[CODE] `, migration 020), so with either verbosity the user sees the same code and sentence.
 */
let world: UploadWorld;
let minimal: Gateway;
const desks: Desk[] = [];
const FILE = join(FIXTURES, 'tiktok/ad-daily-by-day-total-row.csv');

async function signedIn(gateway: Pick<Gateway, 'url' | 'anonKey'>): Promise<SupabaseClient> {
  const { supabase } = testClient(gateway);
  const m = demoMember(world);
  const { error } = await supabase.auth.signInWithPassword({ email: m.email, password: m.password });
  expect(error).toBeNull();
  return supabase;
}

/** Ten COMMIT uploads of the client this hour, as if colleagues had made them: the next is RATE_LIMITED. */
async function busyClient(name: string): Promise<string> {
  const clientId = await newClient(world, name);
  for (let i = 0; i < 10; i++) {
    await world.sql.query(
      `insert into public.data_uploads (id, workspace_id, client_id, platform, uploaded_by, file_name, file_sha256, mode, status, row_count, summary)
       values ($1, $2, $3, 'tiktok', $4, 'earlier.csv', $5, 'COMMIT', 'completed', 10, '{}')`,
      [randomUUID(), demoWorkspace(world).id, clientId, demoMember(world).id, randomUUID().replaceAll('-', '').padEnd(64, '0')],
    );
  }
  return clientId;
}

beforeAll(async () => {
  world = await startWorld();
  minimal = await startGateway({ databaseUrl: world.databaseUrl, clientErrorVerbosity: 'minimal' });
});
afterAll(async () => {
  for (const d of desks) d.close();
  await minimal?.close();
  await world?.close();
});

function beginArgs(over: Record<string, unknown>) {
  const ws = demoWorkspace(world);
  return {
    p_upload_id: randomUUID(),
    p_workspace_id: ws.id,
    p_client_id: ws.clients.find((c) => c.currency === 'USD')!.id,
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

describe('a refusal under both verbosities, through supabase-js', () => {
  it('verbose keeps hint and details; minimal drops them; the message leads with the code under both', async () => {
    const args = beginArgs({ p_file_bytes: 50 * 1024 * 1024 + 1 });
    const verbose = await (await signedIn(world.gateway)).rpc('begin_upload', args);
    const terse = await (await signedIn(minimal)).rpc('begin_upload', { ...args, p_upload_id: randomUUID() });
    expect(verbose.status).toBe(400);
    expect(terse.status).toBe(400);
    expect(verbose.error).toMatchObject({ code: 'P0001', hint: 'FILE_TOO_LARGE' });
    expect(verbose.error?.details).toEqual(expect.any(String));
    expect(terse.error?.code).toBe('P0001');
    expect(terse.error?.hint).toBeUndefined();
    expect(terse.error?.details).toBeUndefined();
    expect(terse.error?.message).toBe(verbose.error?.message);
    expect(terse.error?.message).toMatch(/^\[FILE_TOO_LARGE\] [A-Z]/);
  });

  it.each([
    ['TOO_MANY_ROWS', { p_row_count: 100_001 }],
    ['CURRENCY_MISMATCH', { p_currency: 'EUR' }],
    ['SCHEMA_INCOMPLETE', { p_kind: 'demographic_breakdown' }],
  ])('%s: the engine maps both answers to the same code and sentence, without the prefix', async (code, over) => {
    const args = beginArgs(over);
    const seen = [];
    for (const gw of [world.gateway, minimal]) {
      const res = await (await signedIn(gw)).rpc('begin_upload', { ...args, p_upload_id: randomUUID() });
      const e = res.error!;
      seen.push(
        toAppError(
          'begin_upload',
          { status: res.status, code: e.code, message: e.message, hint: e.hint ?? null, details: e.details ?? null },
          'begin',
        ).toJSON(),
      );
    }
    expect(seen[0]).toEqual(seen[1]);
    expect(seen[0]?.code).toBe(code);
    expect(seen[0]?.message).toMatch(/^[A-Z][^[]+\.$/);
  });
});

describe('the app and the command line against a minimal-verbosity project', () => {
  it('an upload refused RATE_LIMITED says RATE_LIMITED and the same sentence as on a verbose project', async () => {
    await busyClient('Busy Client');
    const results = [];
    for (const gw of [world.gateway, minimal]) {
      const desk = await signedInDesk(world, { gateway: gw });
      desks.push(desk);
      const v = await desk.validate(FILE);
      results.push(await desk.service.upload(v.id, { clientRef: 'Busy Client' }));
    }
    expect(results[0]?.error).toMatchObject({ code: 'RATE_LIMITED', stage: 'begin' });
    expect(results[1]?.error).toEqual(results[0]?.error);
    expect(results[1]?.error?.message).toMatch(/^Busy Client|at most 10 per hour/);
    expect(results[1]?.error?.message).not.toContain('[RATE_LIMITED]');
  });

  it('`metricdrop upload` exits 2 with the code and the sentence (not "try again later")', async () => {
    await busyClient('Busier Client');
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-minimal-'));
    const login = await runCliInProcess(
      ['--home', home, 'login', '--url', minimal.url, '--anon-key', minimal.anonKey, '--email', demoMember(world).email],
      {
        METRICDROP_PASSWORD: demoMember(world).password,
      },
    );
    expect(login.code, login.stderr).toBe(0);
    const r = await runCliInProcess(['--home', home, 'upload', FILE, '--client', 'Busier Client'], {});
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('RATE_LIMITED');
    expect(r.stderr).toMatch(/at most 10 per hour/);
    expect(r.stderr).not.toMatch(/try again later|\[RATE_LIMITED\]/);
    const json = await runCliInProcess(['--home', home, 'upload', FILE, '--client', 'Busier Client', '--json'], {});
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'RATE_LIMITED', stage: 'begin' });
  });
});
