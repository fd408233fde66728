import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED_FIXTURES } from '../fixtures/expected.ts';
import { join } from 'node:path';
import { runCliInProcess } from '../support/run-cli.ts';
import { createEngine, silentLogger, systemClock, type Engine } from '../../electron/engine/index.ts';
import { openStore, storeFile } from '../../electron/engine/store/open.ts';
import type { Plan } from '../../shared/report.ts';
import { expectSumsEqual, factSums, FIXTURES, newClient, signedInDesk, startWorld, type Desk, type UploadWorld } from './env.ts';

/**
 * A file whose ID columns were rounded by Excel is keyed by names. Its campaigns, ad sets and ads are
 * matched by name against what the client already has, so the same day is never stored twice
 * (original file, Excel-rounded copy, original again: the totals equal the file's).
 */
const ORIGINAL = 'excel/meta-ad-daily-as-downloaded.csv';
const ROUNDED = 'excel/meta-ad-daily-resaved-e17.csv';
const FILE = ACCEPTED_FIXTURES[ORIGINAL]!;

let world: UploadWorld;
let desk: Desk;
/** The same computer (data folder and store) with the network gone: its dry runs are planned locally. */
let offline: { engine: Engine; close(): void } | undefined;

beforeAll(async () => {
  world = await startWorld();
  desk = await signedInDesk(world);
});
afterAll(async () => {
  offline?.close();
  desk?.close();
  await world?.close();
});

async function dimensions(clientId: string): Promise<string[]> {
  const r = await world.sql.query<{ line: string }>(
    `select 'campaign|' || external_id || '|' || name line from public.campaigns where client_id = $1
     union all select 'ad_set|' || external_id || '|' || name from public.ad_sets where client_id = $1
     union all select 'ad|' || external_id || '|' || name from public.ads where client_id = $1 order by 1`,
    [clientId],
  );
  return r.rows.map((x) => x.line);
}

async function upload(fixture: string, client: string) {
  const v = await desk.validate(fixture);
  const result = await desk.service.upload(v.id, { clientRef: client });
  expect(result.error).toBeNull();
  expect(result.status).toBe('completed');
  return result;
}

describe("entities matched by name resolve to the client's existing ones", () => {
  it("original, Excel-rounded copy, original again: one set of campaigns and the file's totals", async () => {
    expect(ACCEPTED_FIXTURES[ROUNDED]!.totals).toEqual(FILE.totals);
    const clientId = await newClient(world, 'Rounded Roundtrip Co');
    await upload(ORIGINAL, 'Rounded Roundtrip Co');
    const withIds = await dimensions(clientId);
    expect(withIds.filter((l) => l.startsWith('campaign|'))).toHaveLength(2);
    expectSumsEqual(await factSums(world.sql, clientId), FILE.rows.valid, FILE.totals);

    // The dry run of the rounded copy says which were matched by name, and that nothing is new.
    const rounded = await desk.validate(ROUNDED);
    const plan = (await desk.service.dryRun(rounded.id, { clientRef: 'Rounded Roundtrip Co' }, {}, { keep: false })).plan!;
    expect(plan.source).toBe('server');
    expect(plan.campaigns).toMatchObject({ create: 0, update: 0, unchanged: 2, byName: { matched: 2, created: 0, createdNames: [] } });
    expect(plan.campaigns.byName!.matchedNames).toEqual([FILE.firstRows[0]!.campaign_name, 'Retargeting | 7d visitors']);
    expect(plan.adSets).toMatchObject({ create: 0, unchanged: 2, byName: { matched: 2, created: 0 } });
    expect(plan.ads).toMatchObject({ create: 0, unchanged: 3, byName: { matched: 3, created: 0 } });
    expect(plan.facts).toEqual({ create: 0, update: 0, unchanged: 9 });

    await upload(ROUNDED, 'Rounded Roundtrip Co');
    expect(await dimensions(clientId)).toEqual(withIds);
    expectSumsEqual(await factSums(world.sql, clientId), FILE.rows.valid, FILE.totals);

    const again = await upload(ORIGINAL, 'Rounded Roundtrip Co');
    expect(again.plan!.facts).toEqual({ create: 0, update: 0, unchanged: 9 });
    expect(await dimensions(clientId)).toEqual(withIds);
    expectSumsEqual(await factSums(world.sql, clientId), FILE.rows.valid, FILE.totals);
  });

  it('rounded copy first: created by name with a warning; the original later takes those entities over by their IDs', async () => {
    const clientId = await newClient(world, 'Rounded First Co');
    const cli = await runCliInProcess(['--home', desk.home, 'upload', join(FIXTURES, ROUNDED), '--client', 'Rounded First Co'], {});
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toMatch(
      /Warning: 2 campaigns were created by name, as none of that name was found for this client: "NORTH \|\| TOF/,
    );
    const byName = await dimensions(clientId);
    expect(byName.every((l) => /^\w+\|name:[0-9a-f]{48}\|/.test(l))).toBe(true);
    expectSumsEqual(await factSums(world.sql, clientId), FILE.rows.valid, FILE.totals);

    const original = await upload(ORIGINAL, 'Rounded First Co');
    expect(original.plan!.campaigns).toMatchObject({ create: 0, update: 2 });
    expect(original.plan!.facts).toEqual({ create: 0, update: 0, unchanged: 9 });
    const adopted = await dimensions(clientId);
    expect(adopted).toHaveLength(byName.length);
    expect(adopted.some((l) => l.includes('name:'))).toBe(false);
    expectSumsEqual(await factSums(world.sql, clientId), FILE.rows.valid, FILE.totals);
  });

  it('two existing campaigns of the name: refused with CONFLICTING_DIMENSION naming both, nothing written', async () => {
    const clientId = await newClient(world, 'Twin Names Co');
    const client = await world.sql.query<{ workspace_id: string }>('select workspace_id from public.clients where id = $1', [clientId]);
    const campaignName = FILE.firstRows[0]!.campaign_name;
    for (const id of ['120219000000009901', '120219000000009902']) {
      await world.sql.query(
        `insert into public.campaigns (workspace_id, client_id, platform, external_id, name) values ($1, $2, 'meta', $3, $4)`,
        [client.rows[0]!.workspace_id, clientId, id, campaignName],
      );
    }
    const v = await desk.validate(ROUNDED);
    const result = await desk.service.upload(v.id, { clientRef: 'Twin Names Co' });
    expect(result.error).toMatchObject({
      code: 'CONFLICTING_DIMENSION',
      message: expect.stringMatching(
        /Row 2: ".*" has no usable ID .* already has 2 campaigns of that name \(IDs 120219000000009901, 120219000000009902\)/,
      ),
    });
    expect((await factSums(world.sql, clientId))?.n).toBe('0');
    expect(await dimensions(clientId)).toHaveLength(2);
  });

  describe("offline, the plan against this computer's uploads is the server's plan", () => {
    const offlineEngine = () => {
      if (!offline) {
        const db = openStore(storeFile(desk.home));
        const noNetwork: typeof fetch = () => Promise.reject(new TypeError('fetch failed: the network is gone'));
        offline = {
          engine: createEngine({ db, clock: systemClock, logger: silentLogger, home: desk.home, fetch: noNetwork }),
          close: () => db.close(),
        };
      }
      return offline.engine;
    };
    /** The server's dry run and the offline one of the same file, for the same client. */
    async function bothPlans(fixture: string, client: string): Promise<{ server: Plan; local: Plan }> {
      const v = await desk.validate(fixture);
      const server = await desk.service.dryRun(v.id, { clientRef: client }, {}, { keep: false });
      const local = await offlineEngine().uploads.dryRun(v.id, { clientRef: client });
      expect(server.error).toBeNull();
      expect(local.error).toBeNull();
      expect([server.plan!.source, local.plan!.source]).toEqual(['server', 'local']);
      return { server: server.plan!, local: local.plan! };
    }
    const expectSamePlans = async (fixture: string, client: string) => {
      const { server, local } = await bothPlans(fixture, client);
      expect({ ...local, source: 'server' }, fixture).toEqual(server);
      return server;
    };

    it('original uploaded first: the rounded copy matched by name, the original unchanged, before and after the copy', async () => {
      await newClient(world, 'Offline Original First Co');
      await upload(ORIGINAL, 'Offline Original First Co');
      const rounded = await expectSamePlans(ROUNDED, 'Offline Original First Co');
      expect(rounded.campaigns).toMatchObject({ create: 0, unchanged: 2, byName: { matched: 2, created: 0 } });
      expect(rounded.facts).toEqual({ create: 0, update: 0, unchanged: 9 });
      await expectSamePlans(ORIGINAL, 'Offline Original First Co');
      await upload(ROUNDED, 'Offline Original First Co');
      await expectSamePlans(ROUNDED, 'Offline Original First Co');
      await expectSamePlans(ORIGINAL, 'Offline Original First Co');
    });

    it('rounded copy first: the original takes its entities over by their IDs, offline as online', async () => {
      await newClient(world, 'Offline Rounded First Co');
      await upload(ROUNDED, 'Offline Rounded First Co');
      await expectSamePlans(ROUNDED, 'Offline Rounded First Co');
      const takeover = await expectSamePlans(ORIGINAL, 'Offline Rounded First Co');
      expect(takeover.campaigns).toMatchObject({ create: 0, update: 2 });
      expect(takeover.facts).toEqual({ create: 0, update: 0, unchanged: 9 });
      await upload(ORIGINAL, 'Offline Rounded First Co');
      const again = await expectSamePlans(ORIGINAL, 'Offline Rounded First Co');
      expect(again.campaigns).toEqual({ create: 0, update: 0, unchanged: 2 });
      await expectSamePlans(ROUNDED, 'Offline Rounded First Co');
    });
  });
});
