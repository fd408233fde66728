import { AppError } from '../../shared/errors.ts';
import type { InterruptedUpload, UploadOutcome, Workspace } from '../../shared/ipc-contract.ts';
import type { UploadResult } from '../../shared/report.ts';
import type { Engine } from '../engine/index.ts';
import type { AppEngine } from './engine-port.ts';

function formatWhen(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** The engine's upload answer in the window's terms: a repeat upload becomes a warning to read. */
export function toOutcome(r: UploadResult): UploadOutcome {
  const { previous, ...report } = r;
  const warnings = previous
    ? [
        {
          code: 'ALREADY_UPLOADED',
          message: `This file was already uploaded for this client on ${formatWhen(previous.at)}${previous.by ? ` by ${previous.by}` : ''}. Uploading it again changes nothing that is the same; rows that differ are updated.`,
        },
      ]
    : [];
  return { ...report, warnings };
}

/**
 * The engine (`createEngine`) in the window's terms (engine-port.ts): only shapes change here. Who
 * is signed in (asked once for a screen's burst of calls, with patience, offline when the project
 * is late) and every upload decision are the engine's (`engine.uploads`).
 */
export function createAppEngine(engine: Engine): AppEngine {
  const { uploads } = engine;
  async function session() {
    const conn = uploads.connection();
    // `session:get` starts a screen's burst of calls: it always asks afresh (unless an ask is in flight).
    const who = conn ? await uploads.whoami() : null;
    return {
      remembered: conn ? { url: conn.url, anonKey: conn.anonKey, email: conn.email ?? '' } : null,
      user: who ? { id: who.user.id, email: who.user.email } : null,
      online: who ? who.online : true,
    };
  }

  async function knownClients() {
    const who = await uploads.whoami({ reuseRecent: true });
    if (!who) throw new AppError('NOT_SIGNED_IN', 'Sign in to see your workspaces and clients.');
    return who.clients;
  }

  return {
    async validate(path, { platform, fileName, mapping, saveMapping }) {
      const outcome = await engine.validateFile(path, { platform, fileName, mapping, saveMapping });
      return { validationId: outcome.validationId, report: outcome.report };
    },
    async spendByDay(id) {
      return engine.spendByDay(id);
    },
    async campaigns(id) {
      return engine.campaigns(id);
    },

    session,
    async signIn(input) {
      await uploads.signIn(input);
      return session();
    },
    async signOut() {
      await uploads.signOut();
      return session();
    },
    async workspaces() {
      const seen = new Map<string, Workspace>();
      for (const c of await knownClients()) {
        if (!seen.has(c.workspaceId)) seen.set(c.workspaceId, { id: c.workspaceId, name: c.workspaceName, role: c.role });
      }
      return [...seen.values()];
    },
    async clients(workspaceId) {
      return (await knownClients())
        .filter((c) => c.workspaceId === workspaceId)
        .map((c) => ({ id: c.clientId, name: c.clientName, currency: c.currency }));
    },

    // Which dry run is replaced, whether an upload commits the staged dry run or starts afresh, and
    // what UPLOAD_EXPIRED means are the engine's rules (engine.uploads); here only shapes change.
    async dryRun(validationId, target, hooks) {
      return toOutcome(await uploads.dryRun(validationId, { clientRef: target.clientId, workspaceRef: target.workspaceId }, hooks));
    },
    async upload(validationId, target, hooks) {
      return toOutcome(
        await uploads.upload(
          validationId,
          { clientRef: target.clientId, workspaceRef: target.workspaceId, dryRunId: target.dryRunId },
          hooks,
        ),
      );
    },
    async resume(uploadId, hooks) {
      // The engine refuses an id it does not know (UPLOAD_NOT_FOUND); its progress carries the mode.
      const [result] = await uploads.resume(uploadId, hooks);
      if (!result) throw new AppError('UPLOAD_NOT_FOUND', `No upload ${uploadId} on this computer.`);
      return toOutcome(result);
    },
    async interrupted(): Promise<InterruptedUpload[]> {
      return await uploads.awaitingResume();
    },

    async history(q) {
      return engine.history.list(q);
    },
    async historyEntry(id) {
      return engine.history.entry(id);
    },
    async mappings() {
      return engine.mappings.list();
    },
    async changeMapping(id, fields) {
      return engine.mappings.change(id, fields);
    },
    async forgetMapping(id) {
      return engine.mappings.forget(id);
    },
  };
}
