import type Database from 'better-sqlite3';
import { WorkspaceRole } from '../../../shared/ipc-contract.ts';

/** The clients a user could use on a server, as the last sign-in or refresh showed them (offline work). */
export interface KnownClient {
  workspaceId: string;
  workspaceName: string;
  role: WorkspaceRole;
  /** The role as the server wrote it, where this app does not know it (`role` is then `viewer`). */
  unknownRole?: string | undefined;
  clientId: string;
  clientName: string;
  currency: string;
}

/**
 * A member's role as the server (or this store) wrote it. A role outside `WorkspaceRole` (a server
 * newer than this app) counts as the least, `viewer`: the app never allows more than the server
 * said, and the server checks the role again on every upload.
 */
export function workspaceRole(written: unknown): WorkspaceRole {
  const role = WorkspaceRole.safeParse(written);
  return role.success ? role.data : 'viewer';
}

/** `role`, and the role as written where this app does not know it (see `workspaceRole`). */
export function clientRole(written: unknown): Pick<KnownClient, 'role' | 'unknownRole'> {
  const role = workspaceRole(written);
  return typeof written === 'string' && written !== role && written.trim() !== '' ? { role, unknownRole: written } : { role };
}

/** Replaces what this user is known to see on this server (after each sign-in or refresh). */
export function rememberClients(db: Database.Database, serverUrl: string, userId: string, clients: KnownClient[], at: Date): void {
  const del = db.prepare('delete from known_clients where server_url = ? and user_id = ?');
  const ins = db.prepare(
    `insert into known_clients (server_url, user_id, workspace_id, workspace_name, role, client_id, client_name, currency, refreshed_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    del.run(serverUrl, userId);
    for (const c of clients)
      ins.run(
        serverUrl,
        userId,
        c.workspaceId,
        c.workspaceName,
        c.unknownRole ?? c.role,
        c.clientId,
        c.clientName,
        c.currency,
        at.toISOString(),
      );
  })();
}

export function knownClients(db: Database.Database, serverUrl: string, userId: string): KnownClient[] {
  return (
    db
      .prepare(
        `select workspace_id, workspace_name, role, client_id, client_name, currency from known_clients
         where server_url = ? and user_id = ? order by workspace_name, client_name`,
      )
      .all(serverUrl, userId) as Array<{
      workspace_id: string;
      workspace_name: string;
      role: string;
      client_id: string;
      client_name: string;
      currency: string;
    }>
  ).map((r) => ({
    workspaceId: r.workspace_id,
    workspaceName: r.workspace_name,
    ...clientRole(r.role),
    clientId: r.client_id,
    clientName: r.client_name,
    currency: r.currency,
  }));
}
