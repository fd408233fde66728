import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadReport } from '../../shared/report.ts';
import { runCliInProcess } from '../support/run-cli.ts';
import { startGateway } from '../gateway/server.ts';
import { demoMember, demoWorkspace, FIXTURES, signedInDesk, startWorld, type Desk, type UploadWorld } from './env.ts';

/**
 * PostgREST answers at most max_rows (1,000 on hosted Supabase, and the test gateway's default)
 * rows per read, silently. A workspace with 1,500 clients and 1,200 other members: the app must
 * still offer client #1,400 and find the user's own membership, which is stored after the first
 * 1,000 rows of both tables (so a plain `select` would lose them).
 */
let world: UploadWorld;
let desk: Desk;
let home: string;
const FILE = join(FIXTURES, 'tiktok/ad-daily-by-day-total-row.csv');
const name = (i: number) => `Client ${String(i).padStart(4, '0')}`;

beforeAll(async () => {
  world = await startWorld();
  const ws = demoWorkspace(world);
  const member = demoMember(world);
  // In this order on disk: the clients 1…1,500, then 1,200 other members, then the member's own row.
  await world.sql.query(
    `insert into public.clients (workspace_id, name, currency)
     select $1, 'Client ' || lpad(i::text, 4, '0'), 'USD' from generate_series(1, 1500) i order by i`,
    [ws.id],
  );
  await world.sql.query(
    `with u as (
       insert into auth.users (instance_id, id, aud, role, email, created_at, updated_at)
       select '00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
              'colleague' || i || '@northwind-media.test', now(), now()
       from generate_series(1, 1200) i returning id)
     insert into public.workspace_members (workspace_id, user_id, role) select $1, id, 'viewer' from u`,
    [ws.id],
  );
  const own = await world.sql.query<{ role: string }>(
    'delete from public.workspace_members where workspace_id = $1 and user_id = $2 returning role',
    [ws.id, member.id],
  );
  await world.sql.query('insert into public.workspace_members (workspace_id, user_id, role) values ($1, $2, $3)', [
    ws.id,
    member.id,
    own.rows[0]!.role,
  ]);
  const seen = await world.sql.query<{ n: string }>('select count(*)::text n from public.clients where workspace_id = $1', [ws.id]);
  expect(Number(seen.rows[0]!.n)).toBeGreaterThan(1500);
  desk = await signedInDesk(world);
  home = mkdtempSync(join(tmpdir(), 'metricdrop-rowcap-'));
}, 180_000);
afterAll(async () => {
  desk?.close();
  await world?.close();
});

describe('more rows than one PostgREST answer holds', () => {
  it('the client picker lists all 1,500 clients with the member role, client #1,400 among them', async () => {
    const who = await desk.service.whoami();
    const mine = who!.clients.filter((c) => c.workspaceId === demoWorkspace(world).id);
    expect(mine.filter((c) => /^Client \d{4}$/.test(c.clientName))).toHaveLength(1500);
    const c1400 = mine.find((c) => c.clientName === name(1400));
    expect(c1400).toMatchObject({ role: 'member', currency: 'USD', workspaceName: demoWorkspace(world).name });
    expect(new Set(mine.map((c) => c.clientId)).size).toBe(mine.length);
  });

  it('a project with a smaller cap (250) still shows them all: pages end on the count, not on a short page', async () => {
    const capped = await startGateway({ databaseUrl: world.databaseUrl, maxRows: 250 });
    const other = await signedInDesk(world, { gateway: capped });
    try {
      const who = await other.service.whoami();
      expect(who!.clients.filter((c) => /^Client \d{4}$/.test(c.clientName))).toHaveLength(1500);
    } finally {
      other.close();
      await capped.close();
    }
  });

  it('`--client "Client 1400"` finds it: a server dry run through the real command line', async () => {
    const login = await runCliInProcess(
      ['--home', home, 'login', '--url', world.gateway.url, '--anon-key', world.gateway.anonKey, '--email', demoMember(world).email],
      {
        METRICDROP_PASSWORD: demoMember(world).password,
      },
    );
    expect(login.code, login.stderr).toBe(0);
    const r = await runCliInProcess(['--home', home, 'dry-run', FILE, '--client', name(1400), '--json'], {});
    expect(r.code, r.stderr).toBe(0);
    const doc = UploadReport.parse(JSON.parse(r.stdout));
    expect(doc.plan?.source).toBe('server');
    const up = await world.sql.query<{ name: string }>(
      'select c.name from public.data_uploads u join public.clients c on c.id = u.client_id where u.id = $1',
      [doc.uploadId],
    );
    expect(up.rows[0]?.name).toBe(name(1400));
  });

  it('an upload for client #1,500 is allowed: the member role was found among 1,200 other members', async () => {
    const v = await desk.validate(FILE);
    const up = await desk.service.upload(v.id, { clientRef: name(1500) });
    expect(up.error).toBeNull();
    expect(up.status).toBe('completed');
  });
});
