import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoMember,
  demoWorkspace,
  expectSumsEqual,
  factSums,
  openDesk,
  signInArgs,
  startWorld,
  type Desk,
  type UploadWorld,
} from './env.ts';

let world: UploadWorld;
let desk: Desk;

beforeAll(async () => {
  world = await startWorld();
  desk = openDesk();
});
afterAll(async () => {
  desk?.close();
  await world?.close();
});

const demo = () => demoWorkspace(world);
const member = () => demoMember(world);
const acme = () => demo().clients.find((c) => c.currency === 'USD')!;

// A journey: each step begins where the one before it ended (signed in, uploaded, pushed), so its
// tests keep their written order even in a shuffled run (`npm run test:shuffled`).
describe('signing in, dry run and upload through supabase-js and the test gateway', { shuffle: false }, () => {
  it("signs in and lists the clients of the member's workspace only", async () => {
    const s = await desk.service.signIn(signInArgs(world));
    expect(s.user.email).toBe(member().email);
    expect(s.clients.map((c) => c.clientName).sort()).toEqual(
      demo()
        .clients.map((c) => c.name)
        .sort(),
    );
    const who = await desk.service.whoami();
    expect(who?.online).toBe(true);
  });

  it('plans a first upload on the server as all new, writing nothing', async () => {
    const v = await desk.validate('tiktok/ad-daily-by-day-total-row.csv');
    expect(v.result.report.refused).toBeNull();
    const dry = await desk.service.dryRun(v.id, { clientRef: acme().name });
    expect(dry.error).toBeNull();
    expect(dry.mode).toBe('FULL_DRY_RUN');
    expect(dry.status).toBe('staged');
    expect(dry.plan?.source).toBe('server');
    expect(dry.plan?.facts).toEqual({ create: v.result.rows.length, update: 0, unchanged: 0 });
    expect(dry.plan?.campaigns.create).toBe(v.result.report.entities.campaigns);
    expect((await factSums(world.sql, acme().id))?.n).toBe('0');
  });

  it('uploads: the database sums equal the file totals exactly, and the same file again is unchanged', async () => {
    const v = await desk.validate('tiktok/ad-daily-by-day-total-row.csv');
    const stages = new Set<string>();
    const up = await desk.service.upload(v.id, { clientRef: acme().name }, { onProgress: (p) => stages.add(p.stage) });
    expect(up.error).toBeNull();
    expect(up.status).toBe('completed');
    expect([...stages]).toEqual(['begin', 'stage', 'dimensions', 'facts', 'finish'].filter((s) => stages.has(s)));
    expect(stages.has('facts')).toBe(true);
    expectSumsEqual(await factSums(world.sql, acme().id), v.result.rows.length, v.result.report.totals);

    const again = await desk.service.dryRun(v.id, { clientRef: acme().name });
    expect(again.plan?.facts).toEqual({ create: 0, update: 0, unchanged: v.result.rows.length });
    expect(again.previous?.by).toBe(member().email);
  });
});

describe('preflight through the engine', () => {
  it('answers the readiness checklist as typed data: every required check passes on a fully migrated project', async () => {
    const answer = await desk.service.preflight();
    expect(answer.schema_version).toMatch(/^\d{3}$/);
    const failing = answer.checks.filter((c) => c.required && !c.ok).map((c) => c.name);
    expect(failing).toEqual([]);
    expect(answer.ok).toBe(true);
    expect(answer.checks.map((c) => c.name)).toContain('migrations_applied');
  });
});
