import { createHash, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { testClient } from '../gateway/harness.ts';
import type { DemoUser, SandboxInfo } from './seed.ts';

/**
 * What a person trying the sandbox would check, shared by the in-process seed test and the spawned
 * `npm run sandbox` test: tenancy through RLS, and who may begin an upload.
 */

/** Registers the checks as tests; `info` is read when they run (after the file's beforeAll). */
export function itPassesTheDemoChecks(info: () => SandboxInfo): void {
  it('lets the member sign in, read its workspace and clients, and begin an upload', async () => {
    await checkMemberSeesOwnWorkspace(info());
  });
  it('lets the viewer read but not upload', async () => {
    await checkViewerReadsButCannotUpload(info());
  });
  it("keeps the second workspace's member out of the first workspace", async () => {
    await checkWorkspacesAreIsolated(info());
  });
}

/** supabase-js with the sandbox's anon key, as the app builds it. */
function anonClient(info: SandboxInfo): SupabaseClient {
  return testClient({ url: info.supabaseUrl, anonKey: info.anonKey }).supabase;
}

async function signIn(info: SandboxInfo, user: DemoUser): Promise<SupabaseClient> {
  const supabase = anonClient(info);
  const { error } = await supabase.auth.signInWithPassword({ email: user.email, password: user.password });
  expect(error).toBeNull();
  return supabase;
}

function demoParts(info: SandboxInfo) {
  const [demo, other] = info.workspaces;
  if (!demo || !other) throw new Error('the sandbox must seed two workspaces');
  const member = demo.users.find((u) => u.role === 'member');
  const viewer = demo.users.find((u) => u.role === 'viewer');
  const otherMember = other.users.find((u) => u.role === 'member');
  if (!member || !viewer || !otherMember) throw new Error('the sandbox must seed a member, a viewer and another workspace member');
  return { demo, other, member, viewer, otherMember };
}

function beginArgs(workspaceId: string, clientId: string) {
  return {
    p_upload_id: randomUUID(),
    p_workspace_id: workspaceId,
    p_client_id: clientId,
    p_platform: 'meta',
    p_mode: 'FULL_DRY_RUN',
    p_file_name: 'meta-campaigns-2025-03-01.csv',
    p_file_sha256: createHash('sha256').update(randomUUID()).digest('hex'),
    p_file_bytes: 2048,
    p_row_count: 12,
    p_level: 'campaign',
    p_currency: 'USD',
  };
}

async function checkMemberSeesOwnWorkspace(info: SandboxInfo): Promise<void> {
  const { demo, member } = demoParts(info);
  const db = await signIn(info, member);
  const ws = await db.from('workspaces').select('id, name');
  expect(ws.error).toBeNull();
  expect(ws.data).toEqual([{ id: demo.id, name: demo.name }]);
  const clients = await db.from('clients').select('id, name, currency').order('name');
  expect(clients.data).toEqual([...demo.clients].sort((a, b) => a.name.localeCompare(b.name)));
  const usd = demo.clients.find((c) => c.currency === 'USD');
  expect(usd).toBeDefined();
  const begun = await db.rpc('begin_upload', beginArgs(demo.id, usd?.id ?? ''));
  expect(begun.error).toBeNull();
  expect(begun.data).toMatchObject({ workspace_id: demo.id, client_id: usd?.id, status: 'pending' });
}

async function checkViewerReadsButCannotUpload(info: SandboxInfo): Promise<void> {
  const { demo, viewer } = demoParts(info);
  const db = await signIn(info, viewer);
  const clients = await db.from('clients').select('id').eq('workspace_id', demo.id);
  expect(clients.data).toHaveLength(demo.clients.length);
  const client = demo.clients.find((c) => c.currency === 'USD');
  const begun = await db.rpc('begin_upload', beginArgs(demo.id, client?.id ?? ''));
  expect(begun.status).toBe(400);
  expect(begun.error?.code).toBe('P0001');
  expect(begun.error?.hint).toBe('NOT_AUTHORIZED');
  // Not through the table either: writes go through the ingest functions only.
  const direct = await db.from('clients').insert({ workspace_id: demo.id, name: 'Sneaky Client', currency: 'USD' });
  expect(direct.status).toBe(403);
  expect(direct.error?.code).toBe('42501');
}

async function checkWorkspacesAreIsolated(info: SandboxInfo): Promise<void> {
  const { demo, other, otherMember } = demoParts(info);
  const db = await signIn(info, otherMember);
  expect((await db.from('workspaces').select('id')).data).toEqual([{ id: other.id }]);
  expect((await db.from('clients').select('id').eq('workspace_id', demo.id)).data).toEqual([]);
  expect((await db.from('workspace_members').select('workspace_id').eq('workspace_id', demo.id)).data).toEqual([]);
  const foreign = await db.rpc('begin_upload', beginArgs(demo.id, demo.clients[0]?.id ?? ''));
  expect(foreign.error?.hint).toBe('NOT_AUTHORIZED');
  // Signed out, nothing at all.
  const anonRead = await anonClient(info).from('clients').select('id');
  expect(anonRead.data ?? []).toEqual([]);
  // Refused outright (no grant to anon), not an empty answer that could hide a missing policy.
  expect(anonRead.status).toBe(401);
  expect(anonRead.error?.code).toBe('42501');
}
