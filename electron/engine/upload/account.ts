import type { SupabaseClient } from '@supabase/supabase-js';
import * as z from 'zod';
import { AppError } from '../../../shared/errors.ts';
import { clientRole, type KnownClient } from '../store/known-clients.ts';
import { readAllRows } from './paged-read.ts';

export interface SignedInUser {
  id: string;
  email: string;
}

const MemberRow = z.object({ workspace_id: z.string(), role: z.string() });
const WorkspaceRow = z.object({ id: z.string(), name: z.string() });
const ClientRow = z.object({ id: z.string(), workspace_id: z.string(), name: z.string(), currency: z.string() });

/** The user of the stored session, refreshing the access token first when it is near expiry. */
export async function currentUser(client: SupabaseClient): Promise<SignedInUser | null> {
  const { data, error } = await client.auth.getSession();
  if (error || !data.session) return null;
  const u = data.session.user;
  return { id: u.id, email: u.email ?? '' };
}

/** Supabase Auth counts sign-ins per IP address in 5-minute windows (its rate-limit settings). */
export const SIGN_IN_WAIT_MINUTES = 5;

export async function signInWithPassword(client: SupabaseClient, email: string, password: string): Promise<SignedInUser> {
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  if (error || !data.user) {
    const status = (error as { status?: number } | null)?.status ?? 0;
    if (status === 429) {
      // GoTrue's per-address limits (over_request_rate_limit, over_email_send_rate_limit, …) give no
      // wait time; Supabase counts sign-ins per 5-minute window, so that is the wait to name.
      throw new AppError(
        'RATE_LIMITED',
        `Too many sign-in attempts: the project is not accepting more from this computer's address for now. Wait ${SIGN_IN_WAIT_MINUTES} minutes and try again; your password was not checked.`,
      );
    }
    if (status === 0 || status >= 500) {
      throw new AppError(
        'NETWORK_ERROR',
        `Could not reach the project to sign in: ${error?.message ?? 'no answer'}. Check the project URL and the connection.`,
      );
    }
    throw new AppError('NOT_AUTHORIZED', `Sign-in refused: ${error?.message ?? 'unknown reason'}. Check the email and password.`);
  }
  return { id: data.user.id, email: data.user.email ?? email };
}

/**
 * Every client of every workspace the user belongs to, with the workspace's name and the user's
 * role there. Read with filters (the user's own memberships, then those workspaces) and in pages
 * (readAllRows), so no row cap of the project hides a client or the user's own membership.
 */
export async function fetchClients(client: SupabaseClient, user: SignedInUser): Promise<KnownClient[]> {
  const members = await readAllRows(client, {
    table: 'workspace_members',
    columns: 'workspace_id,role',
    key: 'workspace_id',
    keyOf: (m) => m.workspace_id,
    schema: MemberRow,
    eq: { user_id: user.id },
  });
  const roleOf = new Map(members.map((m) => [m.workspace_id, m.role]));
  const ids = [...roleOf.keys()];
  if (ids.length === 0) return [];
  const [workspaces, clients] = await Promise.all([
    readAllRows(client, {
      table: 'workspaces',
      columns: 'id,name',
      key: 'id',
      keyOf: (w) => w.id,
      schema: WorkspaceRow,
      in: { column: 'id', values: ids },
    }),
    readAllRows(client, {
      table: 'clients',
      columns: 'id,workspace_id,name,currency',
      key: 'id',
      keyOf: (c) => c.id,
      schema: ClientRow,
      in: { column: 'workspace_id', values: ids },
    }),
  ]);
  const nameOf = new Map(workspaces.map((w) => [w.id, w.name]));
  return clients
    .filter((c) => roleOf.has(c.workspace_id))
    .map((c) => ({
      workspaceId: c.workspace_id,
      workspaceName: nameOf.get(c.workspace_id) ?? c.workspace_id,
      ...clientRole(roleOf.get(c.workspace_id)),
      clientId: c.id,
      clientName: c.name,
      currency: c.currency.trim(),
    }))
    .sort((a, b) => a.workspaceName.localeCompare(b.workspaceName) || a.clientName.localeCompare(b.clientName));
}

/** Finds `--client` (id or name) within `--workspace` (id or name, optional when unambiguous). */
export function pickClient(clients: KnownClient[], clientRef: string, workspaceRef?: string): KnownClient {
  const eq = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
  const inWorkspace =
    workspaceRef === undefined ? clients : clients.filter((c) => c.workspaceId === workspaceRef || eq(c.workspaceName, workspaceRef));
  if (workspaceRef !== undefined && inWorkspace.length === 0) {
    throw new AppError(
      'CLIENT_NOT_FOUND',
      `No workspace "${workspaceRef}" among yours (${[...new Set(clients.map((c) => c.workspaceName))].join(', ') || 'none'}).`,
    );
  }
  const matches = inWorkspace.filter((c) => c.clientId === clientRef || eq(c.clientName, clientRef));
  if (matches.length === 1) return matches[0] as KnownClient;
  if (matches.length === 0) {
    const names = inWorkspace.map((c) => `${c.clientName} (${c.workspaceName})`).join(', ') || 'none';
    throw new AppError('CLIENT_NOT_FOUND', `No client "${clientRef}". Clients you can use: ${names}.`);
  }
  throw new AppError(
    'CLIENT_NOT_FOUND',
    `"${clientRef}" names clients in several workspaces; add --workspace (${matches.map((m) => m.workspaceName).join(', ')}).`,
  );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a `--client` or `--workspace` given is an id (else it is a name). */
export function isUuid(ref: string | null): ref is string {
  return ref !== null && UUID.test(ref);
}

/**
 * `pickClient` offline: a client this computer has never seen can still be planned for by its id
 * (everything is new to it then); a name can only be resolved from what a sign-in showed.
 */
export function pickClientOffline(clients: KnownClient[], clientRef: string, workspaceRef?: string): KnownClient {
  try {
    return pickClient(clients, clientRef, workspaceRef);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'CLIENT_NOT_FOUND') throw err;
    if (isUuid(clientRef)) {
      // Currency unknown ('') and role unknown: the offline plan checks neither; the server will.
      return {
        workspaceId: workspaceRef ?? '',
        workspaceName: workspaceRef ?? '',
        role: 'viewer',
        clientId: clientRef.toLowerCase(),
        clientName: clientRef,
        currency: '',
      };
    }
    throw new AppError(
      'CLIENT_NOT_FOUND',
      `${err.message} Offline, a client is known by name only after one sign-in; pass its id (--client <uuid>) instead.`,
    );
  }
}
