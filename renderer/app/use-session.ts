import { useCallback, useEffect, useState } from 'react';
import type { Client, IpcError, SessionInfo, SignInInput, Workspace } from '../../shared/ipc-contract.ts';
import { useApi } from '../api/api-context.tsx';

export interface SessionModel {
  session: SessionInfo | null;
  workspaces: Workspace[];
  workspaceId: string | null;
  clients: Client[];
  clientId: string | null;
  /** Why workspaces or clients could not be loaded, if they could not. */
  loadError: IpcError | null;
  selectWorkspace(id: string): void;
  selectClient(id: string): void;
  signIn(input: SignInInput): Promise<IpcError | null>;
  signOut(): Promise<void>;
  refresh(): Promise<void>;
}

const LAST_CHOICE = 'metricdrop.lastChoice';

function rememberedChoice(): { workspaceId?: string; clientId?: string } {
  try {
    return JSON.parse(localStorage.getItem(LAST_CHOICE) ?? '{}') as { workspaceId?: string; clientId?: string };
  } catch {
    return {};
  }
}

/** The signed-in user, their workspaces and the client chosen in the current one. */
export function useSession(): SessionModel {
  const api = useApi();
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [workspaces, setWorkspaces] = useState<Workspace[]>([]);
  const [workspaceId, setWorkspaceId] = useState<string | null>(null);
  const [clients, setClients] = useState<Client[]>([]);
  const [clientId, setClientId] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);

  const loadWorkspaces = useCallback(async () => {
    const r = await api.workspaces.list({});
    if (!r.ok) {
      setWorkspaces([]);
      setLoadError(r.error);
      return;
    }
    setLoadError(null);
    setWorkspaces(r.value);
    const last = rememberedChoice().workspaceId;
    setWorkspaceId((cur) => {
      const keep = [cur, last].find((id) => id && r.value.some((w) => w.id === id));
      return keep ?? r.value[0]?.id ?? null;
    });
  }, [api]);

  const refresh = useCallback(async () => {
    const r = await api.session.get({});
    if (!r.ok) {
      setLoadError(r.error);
      return;
    }
    setSession(r.value);
    setLoadError(null);
    if (r.value.user) await loadWorkspaces();
  }, [api, loadWorkspaces]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (workspaceId === null) {
      setClients([]);
      setClientId(null);
      return;
    }
    let live = true;
    void api.clients.list({ workspaceId }).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setClients([]);
        setLoadError(r.error);
        return;
      }
      setClients(r.value);
      const last = rememberedChoice().clientId;
      setClientId((cur) => [cur, last].find((id) => id && r.value.some((c) => c.id === id)) ?? r.value[0]?.id ?? null);
    });
    return () => {
      live = false;
    };
  }, [api, workspaceId]);

  useEffect(() => {
    if (workspaceId && clientId) localStorage.setItem(LAST_CHOICE, JSON.stringify({ workspaceId, clientId }));
  }, [workspaceId, clientId]);

  return {
    session,
    workspaces,
    workspaceId,
    clients,
    clientId,
    loadError,
    selectWorkspace: (id) => {
      setWorkspaceId(id);
      setClientId(null);
    },
    selectClient: setClientId,
    async signIn(input) {
      const r = await api.session.signIn(input);
      if (!r.ok) return r.error;
      setSession(r.value);
      await loadWorkspaces();
      return null;
    },
    async signOut() {
      const r = await api.session.signOut({});
      if (r.ok) setSession(r.value);
      setWorkspaces([]);
      setWorkspaceId(null);
      setLoadError(null);
    },
    refresh,
  };
}
