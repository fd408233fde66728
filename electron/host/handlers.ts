import type * as z from 'zod';
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
import { AppError } from '../../shared/errors.ts';
import type { AppEngine, GivenRunHooks, Validation } from './engine-port.ts';
import { errorsCsvName, issuesToCsv } from './errors-csv.ts';
import { refusedFileReport, type FileRegistry } from './files.ts';
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
  // One validation per file token: the report, the chart, the errors CSV and the upload all use the
  // validation the engine recorded, so a 50 MB file is read once.
  const validations = new Map<FileToken, Promise<Validation>>();
  // Running uploads by id, so `uploads:cancel` can stop them.
  const running = new Map<string, AbortController>();

  const validation = (token: FileToken): Promise<Validation> => {
    let p = validations.get(token);
    if (!p) {
      const file = files.get(token);
      p = file.refusal
        ? Promise.resolve({ validationId: '', report: refusedFileReport(file) })
        : engine.validate(file.path, { fileName: file.name });
      p.catch(() => validations.delete(token));
      validations.set(token, p);
    }
    return p;
  };
  const validated = async (token: FileToken): Promise<string> => {
    const v = await validation(token);
    if (v.report.refused) throw new AppError(v.report.refused.code, v.report.refused.message);
    return v.validationId;
  };

  const withSession = async (s: Awaited<ReturnType<AppEngine['session']>>) => ({ ...s, secretStore: deps.secretStore });

  async function run(work: (hooks: GivenRunHooks) => Promise<UploadOutcome>): Promise<UploadOutcome> {
    const controller = new AbortController();
    let uploadId: string | null = null;
    const hooks: GivenRunHooks = {
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
      if (platform !== undefined) {
        // The person chose the platform by hand: validate again with it and keep that result.
        const file = files.get(token);
        const p = engine.validate(file.path, { platform, fileName: file.name });
        validations.set(token, p);
        p.catch(() => validations.delete(token));
      }
      return (await validation(token)).report;
    },
    'files:map': async ({ token, mapping, save }) => {
      // The person placed the columns: validate again with them and keep that result.
      const file = files.get(token);
      const p = engine.validate(file.path, { fileName: file.name, mapping, saveMapping: save !== false });
      validations.set(token, p);
      p.catch(() => validations.delete(token));
      return (await p).report;
    },
    'files:spendByDay': async ({ token }) => engine.spendByDay(await validated(token)),
    'files:campaigns': async ({ token }) => engine.campaigns(await validated(token)),
    'files:errorsCsv': async ({ token }) => {
      const r = (await validation(token)).report;
      return { fileName: errorsCsvName(files.get(token).name), csv: issuesToCsv(r.issues), issues: r.issues.length };
    },
    'files:forget': async ({ token }) => {
      validations.delete(token);
      void files.forget(token);
      return null;
    },

    'session:get': async () => withSession(await engine.session()),
    'session:signIn': async (input) => withSession(await engine.signIn(input)),
    'session:signOut': async () => withSession(await engine.signOut()),

    'workspaces:list': async () => engine.workspaces(),
    'clients:list': async ({ workspaceId }) => engine.clients(workspaceId),

    'uploads:dryRun': async ({ token, workspaceId, clientId }) =>
      run(async (hooks) => engine.dryRun(await validated(token), { workspaceId, clientId }, hooks)),
    'uploads:start': async ({ token, workspaceId, clientId, dryRunId }) =>
      run(async (hooks) => engine.upload(await validated(token), { workspaceId, clientId, dryRunId }, hooks)),
    'uploads:cancel': async ({ uploadId }) => {
      const controller = running.get(uploadId);
      if (!controller) return { cancelled: false };
      controller.abort();
      return { cancelled: true };
    },
    'uploads:resume': async ({ uploadId }) => run((hooks) => engine.resume(uploadId, hooks)),
    'uploads:interrupted': async () => engine.interrupted(),

    'mappings:list': async () => engine.mappings(),
    'mappings:change': async ({ id, fields }) => engine.changeMapping(id, fields),
    'mappings:forget': async ({ id }) => ({ forgotten: await engine.forgetMapping(id) }),
    'history:list': async (query) => engine.history(query),
    'history:get': async ({ id }) => engine.historyEntry(id),
  };
}
