import type { Platform } from '../../shared/canonical.ts';
import type {
  CampaignSummary,
  Client,
  HistoryDetail,
  HistoryEntry,
  HistoryQuery,
  InterruptedUpload,
  SessionInfo,
  SignInInput,
  SpendByDay,
  UploadOutcome,
  Workspace,
} from '../../shared/ipc-contract.ts';
import type { ValidateReport } from '../../shared/report.ts';
import type { RunHooks } from '../engine/upload/types.ts';
import type { ColumnMapping, MappableField, SavedMapping } from '../../shared/mapping.ts';

/** The engine's run hooks (engine/upload/types.ts), both given: the handlers always pass them. */
export type GivenRunHooks = Required<RunHooks>;

export interface Validation {
  validationId: string;
  report: ValidateReport;
}

/** The client the window chose, by id (the engine takes `clientRef`, an id or a name). */
export interface ChosenClient {
  workspaceId: string;
  clientId: string;
}

/**
 * What the desktop shell needs from the engine, in the window's terms. `engine-adapter.ts` builds
 * it from `createEngine(deps)`; the handlers depend on this port only, so the shells, the handler
 * tests and the engine can change independently.
 */
export interface AppEngine {
  /** Validates and records the file; later steps refer to it by `validationId`. */
  validate(
    path: string,
    opts: { platform?: Platform; fileName: string; mapping?: ColumnMapping; saveMapping?: boolean },
  ): Promise<Validation>;
  spendByDay(validationId: string): Promise<SpendByDay>;
  campaigns(validationId: string): Promise<CampaignSummary[]>;
  session(): Promise<Omit<SessionInfo, 'secretStore'>>;
  signIn(input: SignInInput): Promise<Omit<SessionInfo, 'secretStore'>>;
  signOut(): Promise<Omit<SessionInfo, 'secretStore'>>;
  workspaces(): Promise<Workspace[]>;
  clients(workspaceId: string): Promise<Client[]>;
  dryRun(validationId: string, target: ChosenClient, hooks: GivenRunHooks): Promise<UploadOutcome>;
  /** Commits the file; with `dryRunId`, commits that server dry run's staged rows as planned. */
  upload(validationId: string, target: ChosenClient & { dryRunId?: string | undefined }, hooks: GivenRunHooks): Promise<UploadOutcome>;
  resume(uploadId: string, hooks: GivenRunHooks): Promise<UploadOutcome>;
  interrupted(): Promise<InterruptedUpload[]>;
  history(query: HistoryQuery): Promise<HistoryEntry[]>;
  historyEntry(id: string): Promise<HistoryDetail>;
  mappings(): Promise<SavedMapping[]>;
  changeMapping(id: string, fields: Partial<Record<MappableField, string>>): Promise<SavedMapping>;
  forgetMapping(id: string): Promise<boolean>;
}
