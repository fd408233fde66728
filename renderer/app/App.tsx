import { useCallback, useEffect, useState } from 'react';
import type { InterruptedUpload, IpcError, UploadOutcome } from '../../shared/ipc-contract.ts';
import { formatCount } from '../format.ts';
import { useApi } from '../api/api-context.tsx';
import { DropZone } from '../files/DropZone.tsx';
import { FileCard } from '../files/FileCard.tsx';
import { Refusal } from '../controls.tsx';
import { FileDetail } from '../files/FileDetail.tsx';
import { useFiles } from '../files/use-files.ts';
import { HistoryScreen } from '../history/HistoryScreen.tsx';
import { MappingsScreen } from '../mappings/MappingsScreen.tsx';
import { StageProgress } from '../upload/StageProgress.tsx';
import { ResumeBanner } from './ResumeBanner.tsx';
import { SignIn } from './SignIn.tsx';
import { TopBar, type View } from './TopBar.tsx';
import { useSession } from './use-session.ts';

export function App() {
  const api = useApi();
  const session = useSession();
  const files = useFiles();
  const [view, setView] = useState<View>('files');
  const [notice, setNotice] = useState<IpcError | null>(null);
  const [interrupted, setInterrupted] = useState<InterruptedUpload[]>([]);
  const [resumed, setResumed] = useState<UploadOutcome[]>([]);

  const loadInterrupted = useCallback(async () => {
    const r = await api.uploads.interrupted({});
    if (r.ok) setInterrupted(r.value);
  }, [api]);
  useEffect(() => {
    void loadInterrupted();
  }, [loadInterrupted, session.session?.user?.id]);

  // A file dropped outside the drop zone must not make the browser open it in place of the app.
  useEffect(() => {
    const stop = (e: DragEvent) => e.preventDefault();
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);

  const { state } = files;
  const selected = state.selected ? state.byToken[state.selected] : undefined;
  const client = session.clients.find((c) => c.id === session.clientId) ?? null;
  const target = {
    workspaceId: session.workspaceId,
    client,
    signedIn: session.session?.user != null,
    online: session.session?.online ?? true,
  };
  const runTarget = session.workspaceId && client ? { workspaceId: session.workspaceId, clientId: client.id } : null;
  const resuming = state.active?.kind === 'resume';

  const add = async (work: Promise<IpcError | null>) => setNotice(await work);

  return (
    <div className="app">
      <TopBar model={session} view={view} onView={setView} />
      {session.session && !session.session.online && session.session.remembered && (
        <div className="offline-strip" role="status">
          Offline: {new URL(session.session.remembered.url).host} cannot be reached. Validation and dry runs against what this computer
          already knows still work; uploads wait until you are back online.
        </div>
      )}
      {session.session?.secretStore === 'unavailable' && session.session.user && (
        <div className="offline-strip warn" role="status">
          This computer has no secret store, so your sign-in is kept only until metricdrop closes.
        </div>
      )}
      {view === 'signin' ? (
        <SignIn model={session} onDone={() => setView('files')} />
      ) : view === 'history' ? (
        <HistoryScreen clients={session.clients} />
      ) : view === 'mappings' ? (
        <MappingsScreen />
      ) : (
        <main className="page">
          <ResumeBanner
            uploads={interrupted}
            busy={resuming}
            onResume={() =>
              void files.resume(interrupted.map((u) => u.uploadId)).then(async ({ error, completed }) => {
                // The list first: the banner is gone by the time the message says the uploads completed.
                await loadInterrupted();
                setNotice(error);
                setResumed(completed);
              })
            }
          />
          {resumed.length > 0 && (
            <div className="dismissable">
              <div className="alert good" role="status" data-testid="resumed">
                {resumed.map((o) => (
                  <div key={o.uploadId}>
                    {o.mode === 'COMMIT' ? 'Upload' : 'Dry run'} of {o.file} resumed and {o.status === 'completed' ? 'completed' : o.status}
                    : {formatCount(o.plan ? o.plan.facts.create + o.plan.facts.update + o.plan.facts.unchanged : o.rows.valid)} daily rows.
                  </div>
                ))}
              </div>
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setResumed([])}>
                ×
              </button>
            </div>
          )}
          {resuming && state.active && (
            <section className="panel" aria-label="Resuming">
              <h2 className="section-title">Resuming interrupted uploads</h2>
              <StageProgress stages={state.active.stages} finished={false} />
            </section>
          )}
          {session.loadError && <Refusal error={session.loadError} />}
          {notice && (
            <div className="dismissable">
              <Refusal error={notice} />
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
                ×
              </button>
            </div>
          )}
          <DropZone
            compact={state.order.length > 0}
            onDrop={(f) => void add(files.addFiles(f))}
            onPick={() => void add(files.pickFiles())}
          />
          {state.order.length > 0 && (
            <div className="workspace">
              <div className="cards" aria-label="Files">
                {state.order.map((token) => {
                  const entry = state.byToken[token]!;
                  return (
                    <FileCard
                      key={token}
                      entry={entry}
                      selected={token === state.selected}
                      busy={state.active?.token === token}
                      onSelect={() => files.select(token)}
                      onRemove={() => files.remove(token)}
                    />
                  );
                })}
              </div>
              {selected && (
                <FileDetail
                  entry={selected}
                  active={state.active}
                  target={target}
                  onDryRun={() => runTarget && void files.dryRun(selected.ref.token, runTarget)}
                  onUpload={() => runTarget && void files.upload(selected.ref.token, runTarget).then(loadInterrupted)}
                  onCancel={() => void files.cancel()}
                  onMap={(mapping, save) => void files.map(selected.ref.token, mapping, save)}
                />
              )}
            </div>
          )}
        </main>
      )}
    </div>
  );
}
