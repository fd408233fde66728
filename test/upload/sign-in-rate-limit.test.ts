import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { raw, testClient } from '../gateway/harness.ts';
import { startGateway, type Gateway } from '../gateway/server.ts';
import { runCliInProcess } from '../support/run-cli.ts';
import { demoMember, openDesk, signInArgs, startWorld, type Desk, type UploadWorld } from './env.ts';

/**
 * GoTrue limits password sign-ins per IP address (Supabase: 30 per 5 minutes, a token bucket) and
 * answers 429 `over_request_rate_limit` "Request rate limit reached" beyond it, before it looks at
 * the password. The user must read "too many attempts, wait", never "wrong password".
 */
let world: UploadWorld;
let limited: Gateway;
let clock = Math.floor(Date.now() / 1000);
const desks: Desk[] = [];

beforeAll(async () => {
  world = await startWorld();
  limited = await startGateway({
    databaseUrl: world.databaseUrl,
    nowSeconds: () => clock,
    signInRateLimit: { requests: 3, perSeconds: 300 },
  });
});
afterAll(async () => {
  for (const d of desks) d.close();
  await limited?.close();
  await world?.close();
});

/** Spends the address's sign-ins with wrong passwords, and moves past any refill from earlier tests. */
async function exhaust(): Promise<void> {
  clock += 1000;
  for (let i = 0; i < 3; i++) {
    const r = await raw(limited, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: { email: demoMember(world).email, password: 'wrong' },
      headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    expect(r.status).toBe(400);
  }
}

describe('sign-in rate limiting', () => {
  it('the test gateway answers the fourth quick sign-in with GoTrue’s 429, even with the right password, and refills with time', async () => {
    await exhaust();
    const m = demoMember(world);
    const r = await raw(limited, '/auth/v1/token?grant_type=password', {
      method: 'POST',
      body: { email: m.email, password: m.password },
      headers: { 'x-supabase-api-version': '2024-01-01' },
    });
    expect(r.status).toBe(429);
    expect(r.json).toEqual({ code: 'over_request_rate_limit', message: 'Request rate limit reached' });
    expect(r.headers.get('x-sb-error-code')).toBe('over_request_rate_limit');
    const { error } = await testClient(limited).supabase.auth.signInWithPassword({ email: m.email, password: m.password });
    expect(error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
    clock += 100; // a third of the window: one sign-in back
    const again = await testClient(limited).supabase.auth.signInWithPassword({ email: m.email, password: m.password });
    expect(again.error).toBeNull();
  });

  it('the engine says RATE_LIMITED, too many attempts, wait 5 minutes; not a wrong password', async () => {
    await exhaust();
    const desk = openDesk();
    desks.push(desk);
    const err = await desk.service.signIn(signInArgs(world, demoMember(world), limited)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('RATE_LIMITED');
    expect((err as AppError).message).toMatch(/Too many sign-in attempts.*Wait 5 minutes/);
    expect((err as AppError).message).not.toMatch(/password\.$|check the email/i);
    expect(desk.service.connection()).toBeNull();
  });

  it('`metricdrop login` exits 2 and says to wait, while a wrong password still reads as a wrong password', async () => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-429-'));
    const m = demoMember(world);
    clock += 1000;
    const wrong = await runCliInProcess(
      ['--home', home, 'login', '--url', limited.url, '--anon-key', limited.anonKey, '--email', m.email],
      { METRICDROP_PASSWORD: 'wrong' },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/Invalid login credentials.*Check the email and password/);
    await exhaust();
    const r = await runCliInProcess(
      ['--home', home, 'login', '--url', limited.url, '--anon-key', limited.anonKey, '--email', m.email, '--json'],
      {
        METRICDROP_PASSWORD: m.password,
      },
    );
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/Wait 5 minutes/) });
    const text = await runCliInProcess(['--home', home, 'login', '--url', limited.url, '--anon-key', limited.anonKey, '--email', m.email], {
      METRICDROP_PASSWORD: m.password,
    });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/RATE_LIMITED.*Too many sign-in attempts.*Wait 5 minutes/s);
    expect(text.stderr).not.toMatch(/Check the email and password/);
  });
});
