import type { z } from 'zod';
import {
  SecretStore,
  type Channel,
  type EventName,
  type EventPayload,
  type FileToken,
  type Output,
  type ParsedInput,
  type UploadOutcome,
} from '../../shared/ipc-contract.ts';
import type { ValidateReport } from '../../shared/report.ts';
import type { AppEngine, RunHooks } from './engine-port.ts';
import { errorsCsvName, issuesToCsv } from './errors-csv.ts';
import type { FileRegistry } from './files.ts';
import type { Logger } from './result.ts';

export type Handler<K extends Channel> = (input: ParsedInput<K>) => Promise<Output<K>>;
/** Exhaustive: a channel added to the contract without a handler fails to compile. */
export type HandlerMap = { [K in Channel]: Handler<K> };

export interface HandlerDeps {
  engine: AppEngine;
  files: FileRegistry;
  shell: 'electron' | 'web';
  version: string;
  /** How the shell keeps the session (Electron: safeStorage; web: the engine's 0600 file). */
  secretStore: z.infer<typeof SecretStore>;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  logger: Logger;
}

/**
 * The engine behind the contract, independent of transport: Electron main registers these with
 * `ipcMain.handle`, the web bridge serves them over loopback HTTP. Inputs arrive already parsed by
 * `dispatch` (result.ts).
 */
export function createHandlers(deps: HandlerDeps): HandlerMap {
  const { engine, files } = deps;
  // One validation per file token: the report, the chart and the errors CSV read the same file once.
  const reports = new Map<FileToken, Promise<ValidateReport>>();
  // Running uploads by id, so `uploads:cancel` can stop them.
  const running = new Map<string, AbortController>();

  const report = (token: FileToken): Promise<ValidateReport> => {
    let p = reports.get(token);
    if (!p) {
      p = engine.validate(files.get(token).path, {});
      p.catch(() => reports.delete(token));
      reports.set(token, p);
    }
    return p;
  };

  const withSession = async (s: Awaited<ReturnType<AppEngine['session']>>) => ({ ...s, secretStore: deps.secretStore });

  async function run(work: (hooks: RunHooks) => Promise<UploadOutcome>): Promise<UploadOutcome> {
    const controller = new AbortController();
    let uploadId: string | null = null;
    const hooks: RunHooks = {
      signal: controller.signal,
      onProgress(progress) {
        if (uploadId === null) {
          uploadId = progress.uploadId;
          running.set(uploadId, controller);
        }
        deps.emit('uploads:progress', progress);
      },
    };
    try {
      const outcome = await work(hooks);
      return outcome;
    } finally {
      if (uploadId !== null) running.delete(uploadId);
    }
  }

  return {
    'app:info': async () => ({ shell: deps.shell, version: deps.version }),

    'files:validate': async ({ token, platform }) => {
      if (platform === undefined) return report(token);
      return engine.validate(files.get(token).path, { platform });
    },
    'files:spendByDay': async ({ token }) => engine.spendByDay(files.get(token).path),
    'files:errorsCsv': async ({ token }) => {
      const r = await report(token);
      return { fileName: errorsCsvName(files.get(token).name), csv: issuesToCsv(r.issues), issues: r.issues.length };
    },
    'files:forget': async ({ token }) => {
      reports.delete(token);
      files.forget(token);
      return null;
    },

    'session:get': async () => withSession(await engine.session()),
    'session:signIn': async (input) => withSession(await engine.signIn(input)),
    'session:signOut': async () => withSession(await engine.signOut()),

    'workspaces:list': async () => engine.workspaces(),
    'clients:list': async ({ workspaceId }) => engine.clients(workspaceId),

    'uploads:dryRun': async ({ token, workspaceId, clientId }) =>
      run((hooks) => engine.dryRun(files.get(token).path, { workspaceId, clientId }, hooks)),
    'uploads:start': async ({ token, workspaceId, clientId }) =>
      run((hooks) => engine.upload(files.get(token).path, { workspaceId, clientId }, hooks)),
    'uploads:cancel': async ({ uploadId }) => {
      const controller = running.get(uploadId);
      if (!controller) return { cancelled: false };
      controller.abort();
      return { cancelled: true };
    },
    'uploads:resume': async ({ uploadId }) => run((hooks) => engine.resume(uploadId, hooks)),
    'uploads:interrupted': async () => engine.interrupted(),

    'history:list': async (query) => engine.history(query),
    'history:get': async ({ id }) => engine.historyEntry(id),
  };
}
