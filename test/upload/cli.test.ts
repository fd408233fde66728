import { mkdtempSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadReport } from '../../shared/report.ts';
import { runCliInProcess } from '../support/run-cli.ts';
import { FIXTURES, startWorld, type UploadWorld } from './env.ts';

let world: UploadWorld;
let home: string;
const member = () => world.info.workspaces[0]!.users.find((u) => u.role === 'member')!;

const run = (argv: string[], env: Record<string, string | undefined> = {}) => runCliInProcess(['--home', home, ...argv], env);

beforeAll(async () => {
  world = await startWorld();
  home = mkdtempSync(join(tmpdir(), 'metricdrop-cli-upload-'));
});
afterAll(async () => {
  await world?.close();
});

// A journey: each step begins where the one before it ended (signed in, uploaded, pushed), so its
// tests keep their written order even in a shuffled run (`npm run test:shuffled`).
describe('metricdrop login, dry-run, upload, history, logout', { shuffle: false }, () => {
  it('refuses to upload before signing in (exit 2, NOT_SIGNED_IN)', async () => {
    const r = await run(['upload', join(FIXTURES, 'tiktok/ad-daily-by-day-total-row.csv'), '--client', 'Acme Outdoor', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('NOT_SIGNED_IN');
  });

  it('dry-run works before any sign-in, offline, for a client given by id: everything is new to this computer', async () => {
    const r = await run([
      'dry-run',
      join(FIXTURES, 'tiktok/ad-daily-by-day-total-row.csv'),
      '--client',
      world.info.workspaces[0]!.clients[0]!.id,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = UploadReport.parse(JSON.parse(r.stdout));
    expect(doc).toMatchObject({ uploadId: null, mode: 'FULL_DRY_RUN', status: null, error: null });
    expect(doc.plan).toEqual({
      source: 'local',
      campaigns: { create: 2, update: 0, unchanged: 0 },
      adSets: { create: 2, update: 0, unchanged: 0 },
      ads: { create: 3, update: 0, unchanged: 0 },
      facts: { create: 6, update: 0, unchanged: 0 },
    });
    const byName = await run(['dry-run', join(FIXTURES, 'tiktok/ad-daily-by-day-total-row.csv'), '--client', 'Acme Outdoor']);
    expect(byName.code).toBe(2);
    expect(byName.stderr).toMatch(/CLIENT_NOT_FOUND.*pass its id/);
  });

  it('signs in with the password from METRICDROP_PASSWORD and keeps the session readable only by the user', async () => {
    const r = await run(['login', '--url', world.gateway.url, '--anon-key', world.gateway.anonKey, '--email', member().email], {
      METRICDROP_PASSWORD: member().password,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`as ${member().email}`);
    expect(statSync(join(home, 'session.json')).mode & 0o777).toBe(0o600);
    const who = await run(['whoami', '--json']);
    expect(JSON.parse(who.stdout).user.email).toBe(member().email);
  });

  it('refuses a service-role key', async () => {
    const r = await run(['login', '--url', world.gateway.url, '--anon-key', world.gateway.serviceKey, '--email', member().email], {
      METRICDROP_PASSWORD: member().password,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/INVALID_INPUT: That is a service-role key/);
  });

  it('dry-run --json prints one document: the validate report plus the server plan', async () => {
    const r = await run(['dry-run', join(FIXTURES, 'google/campaign-daily-preamble-totals.csv'), '--client', 'Acme Outdoor', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = UploadReport.parse(JSON.parse(r.stdout));
    expect(doc).toMatchObject({ mode: 'FULL_DRY_RUN', status: 'staged', error: null, platform: 'google' });
    expect(doc.plan).toEqual({
      source: 'server',
      campaigns: { create: 3, update: 0, unchanged: 0 },
      adSets: { create: 0, update: 0, unchanged: 0 },
      ads: { create: 0, update: 0, unchanged: 0 },
      facts: { create: 9, update: 0, unchanged: 0 },
    });
  });

  it('upload completes (exit 0); a currency mismatch is refused (exit 2)', async () => {
    const ok = await run(['upload', join(FIXTURES, 'google/campaign-daily-preamble-totals.csv'), '--client', 'Acme Outdoor', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ mode: 'COMMIT', status: 'completed', error: null });
    const eur = await run(['upload', join(FIXTURES, 'google/campaign-daily-preamble-totals.csv'), '--client', 'Bluebird Coffee']);
    expect(eur.code).toBe(2);
    expect(eur.stderr).toMatch(/CURRENCY_MISMATCH.*USD.*EUR/);
  });

  it('history lists validations, the dry run and the upload, newest first', async () => {
    const r = await run(['history', '--json']);
    expect(r.code).toBe(0);
    const all = (JSON.parse(r.stdout) as { entries: Array<{ kind: string; detail: Record<string, unknown> }> }).entries;
    // Each upload is also recorded as asked for, before its file is read (the refused EUR upload too).
    expect(all.filter((e) => e.kind === 'upload-asked').map((e) => e.detail.client)).toEqual([
      'Bluebird Coffee',
      'Acme Outdoor',
      'Acme Outdoor',
    ]);
    const entries = all.filter((e) => e.kind !== 'upload-asked');
    const kinds = entries.map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['validated', 'upload']);
    // The upload entry: file, sha256, user, client, platform, counts, plan, stage timings, outcome, server id.
    expect(entries[1]!.detail).toMatchObject({
      file: 'campaign-daily-preamble-totals.csv',
      user: member().email,
      client: 'Acme Outdoor',
      platform: 'google',
      rows: { total: 13, valid: 9, invalid: 0, skipped: 4 },
      status: 'completed',
      error: null,
      plan: { source: 'server' },
    });
    expect(entries[1]!.detail.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[1]!.detail.uploadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(entries[1]!.detail.stageMs as object)).toEqual(
      expect.arrayContaining(['begin', 'stage', 'dimensions', 'facts', 'finish']),
    );
    expect(kinds).toContain('dry-run');
    const text = await run(['history', '--limit', '3']);
    expect(text.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('logout clears the session', async () => {
    const r = await run(['logout']);
    expect(r.code).toBe(0);
    expect(existsSync(join(home, 'session.json'))).toBe(false);
    const who = await run(['whoami']);
    expect(who.code).toBe(2);
  });
});
