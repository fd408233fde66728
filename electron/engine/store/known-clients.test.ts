import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkspaceRole } from '../../../shared/ipc-contract.ts';
import { clientRole, knownClients, rememberClients, workspaceRole, type KnownClient } from './known-clients.ts';
import { openStore, storeFile } from './open.ts';

const client = (role: WorkspaceRole, n: number): KnownClient => ({
  workspaceId: `w${n}`,
  workspaceName: `Workspace ${n}`,
  role,
  clientId: `c${n}`,
  clientName: `Client ${n}`,
  currency: 'USD',
});

describe('the roles of the clients a user can use', () => {
  it("keeps every role of the contract's list as it is", () => {
    for (const role of WorkspaceRole.options) expect(workspaceRole(role)).toBe(role);
  });

  it('counts a role outside the list (a newer server), or none, as the least: viewer, never more', () => {
    for (const written of ['superuser', 'billing', 'Owner', ' admin', '', null, undefined, 3])
      expect(workspaceRole(written)).toBe('viewer');
  });

  it('reads the stored roles back, and a stored role outside the list as viewer, keeping it as written', () => {
    const db = openStore(storeFile(mkdtempSync(join(tmpdir(), 'metricdrop-known-'))));
    rememberClients(db, 'https://p.example', 'u1', [client('owner', 1), client('member', 2)], new Date('2026-01-05T10:00:00Z'));
    db.prepare("update known_clients set role = 'superuser' where client_id = 'c2'").run();
    expect(knownClients(db, 'https://p.example', 'u1').map((c) => [c.clientId, c.role, c.unknownRole])).toEqual([
      ['c1', 'owner', undefined],
      ['c2', 'viewer', 'superuser'],
    ]);
    // Remembered again (offline, the next sign-in), the role is still the one the server wrote.
    rememberClients(db, 'https://p.example', 'u1', knownClients(db, 'https://p.example', 'u1'), new Date('2026-01-06T10:00:00Z'));
    expect(db.prepare("select role from known_clients where client_id = 'c2'").pluck().get()).toBe('superuser');
    db.close();
  });

  it('names a role it does not know as written, and none for a known one', () => {
    expect(clientRole('member')).toEqual({ role: 'member' });
    expect(clientRole('billing')).toEqual({ role: 'viewer', unknownRole: 'billing' });
    expect(clientRole('')).toEqual({ role: 'viewer' });
    expect(clientRole(undefined)).toEqual({ role: 'viewer' });
  });
});
