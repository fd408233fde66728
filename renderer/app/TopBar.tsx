import { Picker } from '../controls.tsx';
import type { SessionModel } from './use-session.ts';

export type View = 'files' | 'history' | 'mappings' | 'signin';

export function TopBar(props: { model: SessionModel; view: View; onView(view: View): void }) {
  const { model, view, onView } = props;
  const { session } = model;
  const user = session?.user ?? null;
  return (
    <header className="topbar">
      <div className="brand" aria-label="metricdrop">
        <span className="brand-mark" aria-hidden="true" />
        metricdrop
      </div>
      <nav className="tabs" aria-label="Screens">
        <button
          type="button"
          className={view === 'files' ? 'tab active' : 'tab'}
          aria-current={view === 'files'}
          onClick={() => onView('files')}
        >
          Upload
        </button>
        <button
          type="button"
          className={view === 'history' ? 'tab active' : 'tab'}
          aria-current={view === 'history'}
          onClick={() => onView('history')}
        >
          History
        </button>
        <button
          type="button"
          className={view === 'mappings' ? 'tab active' : 'tab'}
          aria-current={view === 'mappings'}
          onClick={() => onView('mappings')}
        >
          Mappings
        </button>
      </nav>
      <div className="topbar-right">
        {user && model.workspaces.length > 0 && (
          <>
            <Picker
              label="Workspace"
              value={model.workspaceId ?? ''}
              onChange={model.selectWorkspace}
              options={model.workspaces.map((w) => ({ value: w.id, label: w.name }))}
            />
            <Picker
              label="Client"
              value={model.clientId ?? ''}
              onChange={model.selectClient}
              disabled={model.clients.length === 0}
              options={
                model.clients.length === 0
                  ? [{ value: '', label: 'No clients' }]
                  : model.clients.map((c) => ({ value: c.id, label: `${c.name} (${c.currency})` }))
              }
            />
          </>
        )}
        {session && !session.online && (
          <span className="badge warn" title="Validation and local dry runs still work">
            Offline
          </span>
        )}
        {session === null ? null : user ? (
          <div className="account">
            <span className="account-email" data-testid="signed-in-user">
              {user.email}
            </span>
            <button type="button" className="link" onClick={() => void model.signOut()}>
              Sign out
            </button>
          </div>
        ) : (
          <button type="button" className={view === 'signin' ? 'primary small' : 'secondary small'} onClick={() => onView('signin')}>
            Sign in
          </button>
        )}
      </div>
    </header>
  );
}
