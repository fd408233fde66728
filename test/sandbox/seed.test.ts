import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db.ts';
import { startGateway, type Gateway } from '../gateway/server.ts';
import { seedDemo, type SandboxInfo } from './seed.ts';
import { itPassesTheDemoChecks } from './demo-checks.ts';

// seedDemo against the real migrations, through the test gateway and supabase-js.

let gateway: Gateway;
let info: SandboxInfo;

beforeAll(async () => {
  const db = await freshDatabase();
  gateway = await startGateway({ databaseUrl: db.url });
  info = await seedDemo(db.url, gateway);
});
afterAll(async () => {
  await gateway?.close();
});

describe('seedDemo', () => {
  it('returns the sandbox JSON of docs/sandbox.md: two workspaces, the demo one with two clients, a member and a viewer', () => {
    expect(info.supabaseUrl).toBe(gateway.url);
    expect(info.anonKey).toBe(gateway.anonKey);
    expect(info.workspaces).toHaveLength(2);
    const [demo, other] = info.workspaces;
    expect(demo?.clients).toHaveLength(2);
    for (const c of demo?.clients ?? []) expect(c.currency).toMatch(/^[A-Z]{3}$/);
    expect(demo?.users.map((u) => u.role).sort()).toEqual(['member', 'viewer']);
    expect(other?.users.map((u) => u.role)).toEqual(['member']);
    for (const u of [...(demo?.users ?? []), ...(other?.users ?? [])]) {
      expect(u.email).toMatch(/@/);
      expect(u.password.length).toBeGreaterThanOrEqual(8);
    }
  });

  itPassesTheDemoChecks(() => info);
});
