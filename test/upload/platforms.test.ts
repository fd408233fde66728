import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCEPTED_FIXTURES } from '../fixtures/expected.ts';
import {
  expectSumsEqual,
  factSums,
  newClient,
  openDesk,
  signInArgs,
  signedInDesk,
  startWorld,
  trimDecimal,
  type Desk,
  type UploadWorld,
} from './env.ts';

let world: UploadWorld;
let desk: Desk;

beforeAll(async () => {
  world = await startWorld();
  desk = await signedInDesk(world);
});
afterAll(async () => {
  desk?.close();
  await world?.close();
});

// Every accepted fixture whose rows are all valid: each platform, each quirk.
const uploadable = Object.entries(ACCEPTED_FIXTURES).filter(([, f]) => f.rows.invalid === 0 && f.rows.valid > 0);

describe('each fixture uploaded: the database holds exactly what the file says', () => {
  it('covers all three platforms', () => {
    expect(new Set(uploadable.map(([, f]) => f.platform))).toEqual(new Set(['meta', 'google', 'tiktok']));
  });

  it.each(uploadable)('%s', async (name, expected) => {
    const clientName = `Client for ${name}`;
    const clientId = await newClient(world, clientName, expected.currency ?? 'USD');
    const v = await desk.validate(name);
    const up = await desk.service.upload(v.id, { clientRef: clientName });
    expect(up.error).toBeNull();
    expect(up.status).toBe('completed');
    expectSumsEqual(await factSums(world.sql, clientId), expected.rows.valid, expected.totals);

    // Names and ids round-trip byte for byte: quotes, commas, emoji, right-to-left text, SQL- and HTML-looking text.
    const rows = v.result.rows.map((r) => r.row);
    const want = (pick: (r: (typeof rows)[number]) => [string | undefined, string | undefined]) =>
      [...new Map(rows.map(pick).filter((p): p is [string, string] => p[0] !== undefined && p[1] !== undefined)).entries()].sort();
    const got = async (table: string) =>
      (
        await world.sql.query<{ external_id: string; name: string }>(`select external_id, name from public.${table} where client_id = $1`, [
          clientId,
        ])
      ).rows
        .map((r) => [r.external_id, r.name] as [string, string])
        .sort();
    expect(await got('campaigns')).toEqual(want((r) => [r.campaign_external_id, r.campaign_name]));
    expect(await got('ad_sets')).toEqual(want((r) => [r.ad_set_external_id, r.ad_set_name]));
    expect(await got('ads')).toEqual(want((r) => [r.ad_external_id, r.ad_name]));
  });
});

/** Sep 3–4 after Sep 1–3: one day changed (an ad renamed), one equal, two new. */
const OVERLAP_PLAN = {
  campaigns: { create: 0, update: 0, unchanged: 1 },
  adSets: { create: 0, update: 0, unchanged: 1 },
  ads: { create: 0, update: 1, unchanged: 1 },
  facts: { create: 2, update: 1, unchanged: 1 },
};

describe('a second file that overlaps the first', () => {
  it('updates changed days in place, leaves equal ones alone and adds only its new days', async () => {
    const clientId = await newClient(world, 'Overlap Outfitters', 'USD');
    const first = await desk.validate('upload/meta-overlap-sep01-03.csv');
    expect((await desk.service.upload(first.id, { clientRef: 'Overlap Outfitters' })).error).toBeNull();
    const second = await desk.validate('upload/meta-overlap-sep03-04.csv');
    const dry = await desk.service.dryRun(second.id, { clientRef: 'Overlap Outfitters' });
    expect(dry.plan).toEqual({ source: 'server', ...OVERLAP_PLAN });
    const up = await desk.service.upload(second.id, { clientRef: 'Overlap Outfitters' });
    expect(up.plan?.facts).toEqual(OVERLAP_PLAN.facts);
    const days = await world.sql.query<{ date: string; n: string; spend: string }>(
      `select to_char(date, 'YYYY-MM-DD') date, count(*)::text n, sum(spend)::text spend from public.daily_metrics
       where client_id = $1 group by date order by date`,
      [clientId],
    );
    expect(days.rows.map((d) => [d.date, d.n, trimDecimal(d.spend)])).toEqual([
      ['2025-09-01', '2', '198.206126'],
      ['2025-09-02', '2', '141.38'],
      ['2025-09-03', '2', '145.77'],
      ['2025-09-04', '2', '138.41'],
    ]);
    const ad = await world.sql.query<{ name: string }>(
      `select name from public.ads where client_id = $1 and external_id = '120215553310780184'`,
      [clientId],
    );
    expect(ad.rows.map((r) => r.name)).toEqual(['Static – price drop v2']);
  });

  it('plans offline against what this computer uploaded before', async () => {
    let networkDown = false;
    const wifi: typeof fetch = (input, init) => (networkDown ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    const offline = openDesk(undefined, { fetch: wifi });
    try {
      // A second computer: sign in, upload the first file, then lose the network.
      await newClient(world, 'Offline Outfitters', 'USD');
      await offline.service.signIn(signInArgs(world));
      const first = await offline.validate('upload/meta-overlap-sep01-03.csv');
      expect((await offline.service.upload(first.id, { clientRef: 'Offline Outfitters' })).error).toBeNull();
      networkDown = true;
      const second = await offline.validate('upload/meta-overlap-sep03-04.csv');
      const dry = await offline.service.dryRun(second.id, { clientRef: 'Offline Outfitters' });
      // The same plan the server makes (above), from this computer's own record.
      expect(dry.plan).toEqual({ source: 'local', ...OVERLAP_PLAN });
      expect(await offline.service.awaitingResume()).toEqual([]);
      expect((await offline.service.whoami())?.online).toBe(false);
    } finally {
      offline.close();
    }
  });
});
