import pg from 'pg';
import type { WorkspaceRole } from '../../shared/ipc-contract.ts';
import type { Gateway } from '../gateway/server.ts';

/**
 * The sandbox's demo data (docs/sandbox.md): a demo workspace with two clients, a member and a
 * viewer, and a second workspace with its own client and member, so tests can check that tenants
 * do not see each other. Written as superuser; users get passwords the test gateway verifies.
 */

export interface DemoUser {
  id: string;
  email: string;
  password: string;
  role: WorkspaceRole;
}

export interface DemoClient {
  id: string;
  name: string;
  currency: string;
}

export interface DemoWorkspace {
  id: string;
  name: string;
  clients: DemoClient[];
  users: DemoUser[];
}

/** The JSON `npm run sandbox -- --info FILE` writes. */
export interface SandboxInfo {
  supabaseUrl: string;
  anonKey: string;
  databaseUrl: string;
  workspaces: DemoWorkspace[];
}

interface WorkspacePlan {
  name: string;
  clients: Array<{ name: string; currency: string }>;
  users: Array<{ email: string; password: string; role: WorkspaceRole }>;
}

const DEMO_PLAN: readonly WorkspacePlan[] = [
  {
    name: 'Northwind Media',
    clients: [
      { name: 'Acme Outdoor', currency: 'USD' },
      { name: 'Bluebird Coffee', currency: 'EUR' },
    ],
    users: [
      { email: 'maya.member@northwind-media.test', password: 'sandbox-member-pass', role: 'member' },
      { email: 'victor.viewer@northwind-media.test', password: 'sandbox-viewer-pass', role: 'viewer' },
    ],
  },
  {
    name: 'Harbor Digital',
    clients: [{ name: 'Cobalt Bikes', currency: 'GBP' }],
    users: [{ email: 'sam.member@harbor-digital.test', password: 'sandbox-harbor-pass', role: 'member' }],
  },
];

export async function seedDemo(databaseUrl: string, gateway: Pick<Gateway, 'url' | 'anonKey' | 'createUser'>): Promise<SandboxInfo> {
  const plan = DEMO_PLAN;
  const users = new Map<string, string>();
  for (const ws of plan) {
    for (const u of ws.users) users.set(u.email, (await gateway.createUser({ email: u.email, password: u.password })).id);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const workspaces: DemoWorkspace[] = [];
  try {
    await client.query('begin');
    for (const ws of plan) {
      const w = await client.query<{ id: string }>('insert into public.workspaces (name) values ($1) returning id::text', [ws.name]);
      const workspaceId = w.rows[0]?.id as string;
      const clients: DemoClient[] = [];
      for (const c of ws.clients) {
        const r = await client.query<{ id: string }>(
          'insert into public.clients (workspace_id, name, currency) values ($1, $2, $3) returning id::text',
          [workspaceId, c.name, c.currency],
        );
        clients.push({ id: r.rows[0]?.id as string, name: c.name, currency: c.currency });
      }
      const members: DemoUser[] = [];
      for (const u of ws.users) {
        const id = users.get(u.email) as string;
        await client.query('insert into public.workspace_members (workspace_id, user_id, role) values ($1, $2, $3)', [
          workspaceId,
          id,
          u.role,
        ]);
        members.push({ id, email: u.email, password: u.password, role: u.role });
      }
      workspaces.push({ id: workspaceId, name: ws.name, clients, users: members });
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
  return { supabaseUrl: gateway.url, anonKey: gateway.anonKey, databaseUrl, workspaces };
}
