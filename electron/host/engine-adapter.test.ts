import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../test/support/db.ts';
import { startGateway, type Gateway } from '../../test/gateway/server.ts';
import { seedDemo, type SandboxInfo } from '../../test/sandbox/seed.ts';
import { contractCheckedEngine } from '../../test/support/contract-check.ts';
import { manualClock } from '../../test/support/manual-clock.ts';
import { DEFAULT_PATIENCE_MS, WHO_REUSE_MS } from '../engine/upload/sign-in.ts';
import { composeAppEngine } from './compose.ts';

/**
 * The window's view of the engine (engine-adapter.ts) with the real engine, a real local store, the
 * real supabase-js and the test gateway over PostgreSQL: sign-in, workspaces and clients, and what
 * the window is told when the project stops answering.
 */
let gateway: Gateway;
let info: SandboxInfo;
const logger = { error() {}, warn() {}, info() {} };
/** The engine's clock: moved forward by the test instead of sleeping (its patience is the default 20 s). */
const clock = manualClock();
const pastTheReuseOfTheLastAnswer = () => clock.advance(WHO_REUSE_MS + 1);
const composed = composeAppEngine({ home: mkdtempSync(join(tmpdir(), 'md-adapter-')), logger, clock });
// Every answer is parsed by the contract schema the window receives it through.
const engine = contractCheckedEngine(composed.engine);
const fixture = (rel: string) => fileURLToPath(new URL(`../../test/fixtures/${rel}`, import.meta.url));

beforeAll(async () => {
  const db = await freshDatabase();
  gateway = await startGateway({ databaseUrl: db.url });
  info = await seedDemo(db.url, gateway);
});
afterAll(async () => {
  await gateway.close().catch(() => undefined);
  composed.close();
});

const member = () => info.workspaces[0]!.users.find((u) => u.role === 'member')!;

// A journey: each step begins where the one before it ended (signed in, uploaded, pushed), so its
// tests keep their written order even in a shuffled run (`npm run test:shuffled`).
describe('the engine as the window sees it', { shuffle: false }, () => {
  it('before sign-in: nobody, nothing remembered, and workspaces need a sign-in', async () => {
    expect(await engine.session()).toEqual({ remembered: null, user: null, online: true });
    await expect(engine.workspaces()).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
  });

  it('refuses a wrong password with NOT_AUTHORIZED', async () => {
    await expect(
      engine.signIn({ url: gateway.url, anonKey: gateway.anonKey, email: member().email, password: 'wrong' }),
    ).rejects.toMatchObject({
      code: 'NOT_AUTHORIZED',
    });
  });

  it('signs in, remembers the connection, and lists only the member\u2019s workspace with its clients', async () => {
    const s = await engine.signIn({ url: gateway.url, anonKey: gateway.anonKey, email: member().email, password: member().password });
    expect(s).toEqual({
      remembered: { url: gateway.url, anonKey: gateway.anonKey, email: member().email },
      user: { id: member().id, email: member().email },
      online: true,
    });
    expect(await engine.workspaces()).toEqual([{ id: info.workspaces[0]!.id, name: 'Northwind Media', role: 'member' }]);
    const clients = await engine.clients(info.workspaces[0]!.id);
    expect(clients.map((c) => `${c.name} ${c.currency}`)).toEqual(['Acme Outdoor USD', 'Bluebird Coffee EUR']);
    expect(await engine.clients(info.workspaces[1]!.id)).toEqual([]);
  });

  it('records validations in the local history with their issues', async () => {
    const v = await engine.validate(fixture('meta/ad-daily-row-errors.csv'), { fileName: 'meta.csv' });
    expect(v.report.rows.invalid).toBe(9);
    const list = await engine.history({ status: 'validated' });
    expect(list[0]).toMatchObject({ id: v.validationId, kind: 'validate', fileName: 'meta.csv', platform: 'meta', status: 'validated' });
    expect(await engine.historyEntry(v.validationId)).toMatchObject({ issues: 9, stages: [], plan: null });
    expect(await engine.history({ clientId: info.workspaces[0]!.clients[0]!.id })).toEqual([]);
  });

  it('when the project stalls, answers from what this computer knows once its patience is over, marked offline', async () => {
    pastTheReuseOfTheLastAnswer();
    const stall = gateway.faults.add({ match: /^\/rest\/v1\//, kind: 'delay', ms: 10_000, times: Infinity });
    try {
      let answered = false;
      const asked = engine.session().finally(() => (answered = true));
      await clock.sleeping();
      clock.advance(DEFAULT_PATIENCE_MS - 1);
      await new Promise((r) => setImmediate(r));
      expect(answered).toBe(false);
      clock.advance(1);
      expect(await asked).toMatchObject({ user: { email: member().email }, online: false });
      // The calls of the same screen reuse that answer instead of waiting again.
      expect((await engine.clients(info.workspaces[0]!.id)).map((c) => c.name)).toEqual(['Acme Outdoor', 'Bluebird Coffee']);
    } finally {
      stall.remove();
    }
  });

  it('a second dry run of the same file discards the first, so dry runs do not pile up in the upload slots', async () => {
    const ws = info.workspaces[0]!;
    const target = { workspaceId: ws.id, clientId: ws.clients.find((c) => c.currency === 'USD')!.id };
    const hooks = { onProgress() {}, signal: new AbortController().signal };
    const v = await engine.validate(fixture('tiktok/ad-daily-by-day-total-row.csv'), { fileName: 'tiktok.csv' });
    const runs = [];
    for (let i = 0; i < 4; i++) runs.push(await engine.dryRun(v.validationId, target, hooks));
    expect(runs.map((r) => r.error)).toEqual([null, null, null, null]);
    const up = await engine.upload(v.validationId, { ...target, dryRunId: runs[3]!.uploadId! }, hooks);
    expect(up.error).toBeNull();
    expect(up.status).toBe('completed');
  });

  it('when the project is gone, still knows the user and the clients, offline', async () => {
    pastTheReuseOfTheLastAnswer();
    await gateway.close();
    const s = await engine.session();
    expect(s).toMatchObject({ user: { email: member().email }, online: false });
    expect(await engine.workspaces()).toEqual([{ id: info.workspaces[0]!.id, name: 'Northwind Media', role: 'member' }]);
  }, 60_000);
});
