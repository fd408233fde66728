import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRequest } from '../gateway/faults.ts';
import { runCliInProcess } from '../support/run-cli.ts';
import { demoMember, FIXTURES, signedInDesk, startWorld, type Desk, type UploadWorld } from './env.ts';

/**
 * A refresh whose answer is lost: GoTrue rotated the refresh token and committed, the client never
 * heard and sends the old token again. GoTrue answers that replay with the current session, so the
 * user stays signed in; the test gateway must do the same (it used to revoke the session, signing
 * the user out here but not on Supabase). The gateway's clock runs ten minutes behind, so every
 * access token it issues has already expired by the computer's clock: each command must refresh
 * first, and a refresh that fails for good signs the user out (supabase-js keeps a session whose
 * access token still works, so only an expired one shows the difference).
 */
let world: UploadWorld;
const desks: Desk[] = [];
const FILE = join(FIXTURES, 'tiktok/ad-daily-by-day-total-row.csv');
const isRefresh = (req: FaultRequest) => req.path === '/auth/v1/token' && req.query.get('grant_type') === 'refresh_token';

beforeAll(async () => {
  world = await startWorld({ accessTokenTtlSeconds: 60, nowSeconds: () => Math.floor(Date.now() / 1000) - 600 });
});
afterAll(async () => {
  for (const d of desks) d.close();
  await world?.close();
});

describe('a refresh whose response was lost', () => {
  it('the engine stays signed in and uploads: supabase-js retries with the old token and gets the current session', async () => {
    const desk = await signedInDesk(world);
    desks.push(desk);
    const lost = world.gateway.faults.add({ match: isRefresh, kind: 'drop-after-commit', times: 1 });
    const who = await desk.service.whoami();
    expect(lost.hits).toBe(1);
    expect(who).toMatchObject({ online: true, user: { email: demoMember(world).email } });
    const refreshes = world.gateway.faults.applied.filter((a) => a.path === '/auth/v1/token');
    expect(refreshes).toHaveLength(1);
    const v = await desk.validate(FILE);
    const up = await desk.service.upload(v.id, { clientRef: 'Acme Outdoor' });
    expect(up.error).toBeNull();
    expect(up.status).toBe('completed');
  });

  it('the command line too: whoami after a lost refresh still names the user, and the next command works', async () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-lost-refresh-'));
    const m = demoMember(world);
    const login = await runCliInProcess(
      ['--home', home, 'login', '--url', world.gateway.url, '--anon-key', world.gateway.anonKey, '--email', m.email],
      {
        METRICDROP_PASSWORD: m.password,
      },
    );
    expect(login.code, login.stderr).toBe(0);
    const lost = world.gateway.faults.add({ match: isRefresh, kind: 'drop-after-commit', times: 1 });
    const who = await runCliInProcess(['--home', home, 'whoami', '--json'], {});
    expect(lost.hits).toBe(1);
    expect(who.code, who.stderr).toBe(0);
    expect(JSON.parse(who.stdout)).toMatchObject({ user: { email: m.email }, online: true });
    const dry = await runCliInProcess(['--home', home, 'dry-run', FILE, '--client', 'Acme Outdoor', '--json'], {});
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).plan.source).toBe('server');
  });
});
