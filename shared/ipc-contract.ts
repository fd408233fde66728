import * as z from 'zod';
import { CurrencyCode, DecimalString, IsoDate, Level, Platform } from './canonical.ts';
import { ERROR_CODES } from './errors.ts';
import { AppliedMapping, ColumnMapping, MappableField, SavedMapping } from './mapping.ts';
import { Plan, PlanCounts, UploadMode, UploadReport, UploadStatus, ValidateReport } from './report.ts';

/**
 * The typed contract between the window (renderer) and the process that hosts the engine: Electron's
 * main process over IPC, or the loopback bridge of `npm run web` over HTTP. Every channel is named
 * `domain:verb`, has a zod `input` schema (the receiving side parses it: the renderer is untrusted)
 * and an `output` schema. Every type the window, the preload, the handlers and the bridge use is
 * derived from these objects; no channel name is written twice.
 */

// ---------------------------------------------------------------------------------------------
// Result envelope

/**
 * Every data-contract code, plus metricdrop's own (docs/errors.md, "In the window"): a fault inside
 * it (INTERNAL_ERROR), and the three ways the engine's process can leave a call unanswered:
 * ENGINE_RESTARTED (it ended while it worked on the call and has been restarted; what was recorded
 * is kept, an upload resumes), ENGINE_UNAVAILABLE (it could not be started at all) and
 * ENGINE_CLOSING (metricdrop is closing). Codes are added, never renamed.
 */
export const IpcErrorCode = z.enum([...ERROR_CODES, 'INTERNAL_ERROR', 'ENGINE_RESTARTED', 'ENGINE_UNAVAILABLE', 'ENGINE_CLOSING']);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.object({
  code: IpcErrorCode,
  message: z.string(),
  stage: z.string().optional(),
});
export type IpcError = z.infer<typeof IpcError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

// ---------------------------------------------------------------------------------------------
// Shapes

const Id = z.guid();

/** An opaque handle on a file the user chose (dialog, drop or browser upload). Never a path. */
export const FileToken = z.string().regex(/^[0-9a-f]{32}$/, 'a file token');
export type FileToken = z.infer<typeof FileToken>;

export const FileRef = z.object({
  token: FileToken,
  name: z.string().min(1).max(255),
  bytes: z.number().int().nonnegative(),
});
export type FileRef = z.infer<typeof FileRef>;

export const AppInfo = z.object({
  shell: z.enum(['electron', 'web']),
  version: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * Where the signed-in session is kept, so the window can warn when it is not protected. `os`:
 * encrypted with the OS keychain (Electron); `unavailable`: in memory only; `file`: the engine's
 * 0600 file in the data folder (web mode and the command line, on the person's own computer).
 */
export const SecretStore = z.enum(['os', 'unavailable', 'file']);

export const SessionInfo = z.object({
  /** The connection last used, remembered so the form is filled in on the next start. */
  remembered: z.object({ url: z.string(), anonKey: z.string(), email: z.string() }).nullable(),
  user: z.object({ id: Id, email: z.string() }).nullable(),
  /** False when the project could not be reached: validation and local dry runs still work. */
  online: z.boolean(),
  secretStore: SecretStore,
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SignInInput = z
  .object({
    url: z
      .string()
      .trim()
      .max(2048)
      .url('the project URL, such as https://abcd.supabase.co')
      // https, or plain http only to this computer (a local sandbox): never a session over the open network.
      .refine(
        (u) => /^https:\/\//i.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(u),
        'an https:// project URL',
      ),
    anonKey: z.string().trim().min(20, 'the anon (publishable) key from the project settings').max(4096),
    email: z.string().trim().email('an email address').max(320),
    password: z.string().min(1, 'the password').max(1024),
  })
  .strict();
export type SignInInput = z.infer<typeof SignInInput>;

/** A member's role in a workspace: the server's `workspace_roles()` (migration 070), the one list the app has. */
export const WorkspaceRole = z.enum(['owner', 'admin', 'member', 'viewer']);
export type WorkspaceRole = z.infer<typeof WorkspaceRole>;

export const Workspace = z.object({
  id: Id,
  name: z.string(),
  role: WorkspaceRole,
});
export type Workspace = z.infer<typeof Workspace>;

export const Client = z.object({ id: Id, name: z.string(), currency: CurrencyCode });
export type Client = z.infer<typeof Client>;

/** Spend of the file's valid rows per calendar day, every day of its range (missing days = 0 rows). */
export const SpendByDay = z.object({
  currency: CurrencyCode.nullable(),
  days: z.array(z.object({ date: IsoDate, spend: DecimalString, rows: z.number().int().nonnegative() })),
});
export type SpendByDay = z.infer<typeof SpendByDay>;

/** One campaign of a file's valid rows, so a person sees they dropped the right account's export. */
export const CampaignSummary = z.object({
  externalId: z.string(),
  name: z.string(),
  rows: z.number().int().nonnegative(),
  spend: DecimalString,
  adSets: z.number().int().nonnegative(),
  ads: z.number().int().nonnegative(),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;

export const ErrorsCsv = z.object({
  fileName: z.string(),
  csv: z.string(),
  issues: z.number().int().nonnegative(),
});
export type ErrorsCsv = z.infer<typeof ErrorsCsv>;

/** A warning to read before committing, e.g. the same file was already uploaded. */
export const UploadWarning = z.object({ code: z.string(), message: z.string() });

/** What `uploads:dryRun`, `uploads:start` and `uploads:resume` answer: the CLI's JSON plus warnings. */
export const UploadOutcome = UploadReport.extend({
  warnings: z.array(UploadWarning),
});
export type UploadOutcome = z.infer<typeof UploadOutcome>;

export const UploadStage = z.enum(['read', 'begin', 'stage', 'dimensions', 'facts', 'finish']);
export type UploadStage = z.infer<typeof UploadStage>;

export const UploadProgress = z.object({
  uploadId: Id,
  mode: UploadMode,
  stage: UploadStage,
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  rowsPerSecond: z.number().nonnegative().nullable(),
  /** Bytes sent per second while staging; absent or null in the other stages. */
  bytesPerSecond: z.number().nonnegative().nullable().optional(),
  etaSeconds: z.number().nonnegative().nullable(),
});
export type UploadProgress = z.infer<typeof UploadProgress>;

export const InterruptedUpload = z.object({
  uploadId: Id,
  fileName: z.string(),
  /** Null for an upload that stopped before the server heard of it, asked for a client by name. */
  workspaceId: Id.nullable(),
  clientId: Id.nullable(),
  clientName: z.string().nullable(),
  platform: Platform.nullable(),
  rows: z.number().int().nonnegative(),
  startedAt: z.string(),
  lastStage: z.string().nullable(),
  /** It stopped before anything was sent: resuming reads the file again, if it is still the same. */
  notSent: z.boolean().optional(),
});
export type InterruptedUpload = z.infer<typeof InterruptedUpload>;

/** The server's upload status, or what this computer knows: validated, running, interrupted. */
export const HistoryStatus = z.enum(['validated', 'running', 'interrupted', ...UploadStatus.options]);
export type HistoryStatus = z.infer<typeof HistoryStatus>;

export const HistoryQuery = z
  .object({
    clientId: Id.optional(),
    platform: Platform.optional(),
    status: HistoryStatus.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const HistoryEntry = z.object({
  id: z.string(),
  kind: z.enum(['validate', 'dry-run', 'upload']),
  fileName: z.string(),
  platform: Platform.nullable(),
  level: Level.nullable(),
  clientId: Id.nullable(),
  clientName: z.string().nullable(),
  status: HistoryStatus,
  rows: z.number().int().nonnegative(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const HistoryDetail = HistoryEntry.extend({
  uploadId: Id.nullable(),
  mode: UploadMode.nullable(),
  plan: Plan.nullable(),
  stages: z.array(
    z.object({
      stage: z.string(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      counts: PlanCounts.nullable(),
      error: z.string().nullable(),
    }),
  ),
  issues: z.number().int().nonnegative(),
  /** Added with column mapping, so absent in entries recorded before it: the mapping the file was read with, if any. */
  mapping: AppliedMapping.nullable().optional(),
});
export type HistoryDetail = z.infer<typeof HistoryDetail>;

// ---------------------------------------------------------------------------------------------
// Channels

const NoInput = z.object({}).strict();
const TokenInput = z.object({ token: FileToken }).strict();

/** Channels served by the engine host in both shells (Electron main and the web bridge). */
export const contract = {
  'app:info': { input: NoInput, output: AppInfo },
  'files:validate': {
    input: z.object({ token: FileToken, platform: Platform.optional() }).strict(),
    output: ValidateReport,
  },
  'files:spendByDay': { input: TokenInput, output: SpendByDay },
  /** Campaigns of the valid rows, by spend, highest first. */
  'files:campaigns': { input: TokenInput, output: z.array(CampaignSummary) },
  'files:errorsCsv': { input: TokenInput, output: ErrorsCsv },
  /**
   * Validates the file again with the columns the person placed in the mapping step; the mapping
   * is saved for files with the same header unless `save` is false. A mapping that does not fit
   * is a report refused with INVALID_MAPPING (the proposal stays in `mapping`).
   */
  'files:map': {
    input: z.object({ token: FileToken, mapping: ColumnMapping, save: z.boolean().optional() }).strict(),
    output: ValidateReport,
  },
  'files:forget': { input: TokenInput, output: z.null() },
  'session:get': { input: NoInput, output: SessionInfo },
  'session:signIn': { input: SignInInput, output: SessionInfo },
  'session:signOut': { input: NoInput, output: SessionInfo },
  'workspaces:list': { input: NoInput, output: z.array(Workspace) },
  'clients:list': { input: z.object({ workspaceId: Id }).strict(), output: z.array(Client) },
  'uploads:dryRun': {
    input: z.object({ token: FileToken, workspaceId: Id, clientId: Id }).strict(),
    output: UploadOutcome,
  },
  'uploads:start': {
    input: z
      .object({
        token: FileToken,
        workspaceId: Id,
        clientId: Id,
        /** The server dry run of this file to commit as planned (its rows are already staged). */
        dryRunId: Id.optional(),
      })
      .strict(),
    output: UploadOutcome,
  },
  'uploads:cancel': { input: z.object({ uploadId: Id }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'uploads:resume': { input: z.object({ uploadId: Id }).strict(), output: UploadOutcome },
  'uploads:interrupted': { input: NoInput, output: z.array(InterruptedUpload) },
  /** The column mappings confirmed on this computer, newest first. */
  'mappings:list': { input: NoInput, output: z.array(SavedMapping) },
  'mappings:change': {
    input: z.object({ id: z.string().min(1).max(100), fields: z.partialRecord(MappableField, z.string().min(1).max(1024)) }).strict(),
    output: SavedMapping,
  },
  'mappings:forget': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: z.object({ forgotten: z.boolean() }) },
  'history:list': { input: HistoryQuery, output: z.array(HistoryEntry) },
  'history:get': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: HistoryDetail },
} as const;

/**
 * Channels whose work depends on the shell: native dialogs and the OS in Electron; in web mode the
 * browser does these itself (a file input, an upload of the bytes, a download).
 */
export const shellContract = {
  /** Electron: the OS open dialog in main (`.csv`, `.tsv`, `.txt`). */
  'files:pick': { input: NoInput, output: z.array(FileRef) },
  /** Electron: paths the preload read from dropped `File`s with `webUtils.getPathForFile`. */
  'files:register': {
    input: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(50) }).strict(),
    output: z.array(FileRef),
  },
  /** Electron: the OS save dialog in main, then writes the errors CSV there. */
  'files:saveErrorsCsv': {
    input: TokenInput,
    output: z.object({ saved: z.boolean(), fileName: z.string().nullable() }),
  },
  /** Electron: opens an allow-listed https link in the browser. */
  'app:openExternal': { input: z.object({ url: z.string().max(2048) }).strict(), output: z.object({ opened: z.boolean() }) },
} as const;

/** Pushed from the engine host to the window. */
export const events = {
  'uploads:progress': UploadProgress,
} as const;

export type Contract = typeof contract;
export type ShellContract = typeof shellContract;
export type Channel = keyof Contract;
export type ShellChannel = keyof ShellContract;
export type AnyChannel = Channel | ShellChannel;
export type EventName = keyof typeof events;

type Def<K extends AnyChannel> = K extends Channel ? Contract[K] : K extends ShellChannel ? ShellContract[K] : never;
export type Input<K extends AnyChannel> = z.input<Def<K>['input']>;
export type ParsedInput<K extends AnyChannel> = z.output<Def<K>['input']>;
export type Output<K extends AnyChannel> = z.output<Def<K>['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channels = Object.keys(contract) as Channel[];
export const shellChannels = Object.keys(shellContract) as ShellChannel[];
export const eventNames = Object.keys(events) as EventName[];

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}
export function isShellChannel(name: string): name is ShellChannel {
  return Object.hasOwn(shellContract, name);
}
export function inputSchema<K extends AnyChannel>(channel: K): Def<K>['input'] {
  return (isChannel(channel) ? contract[channel].input : shellContract[channel as ShellChannel].input) as Def<K>['input'];
}

// ---------------------------------------------------------------------------------------------
// The window's API: one function per channel, grouped by domain (`files:validate` → api.files.validate)

type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never;
type VerbOf<K extends string, D extends string> = K extends `${D}:${infer V}` ? V : never;
type EventKey<E extends string, D extends string> = E extends `${D}:${infer V}` ? `on${Capitalize<V>}` : never;

export type Unsubscribe = () => void;
export type Invoke<K extends AnyChannel> = (input: Input<K>) => Promise<Result<Output<K>>>;

type ChannelFunctions = {
  [D in DomainOf<AnyChannel>]: { [V in VerbOf<AnyChannel, D>]: Invoke<Extract<`${D}:${V}`, AnyChannel>> };
};
type EventFunctions = {
  [D in DomainOf<EventName>]: {
    [E in EventName as EventKey<E, D>]: (listener: (payload: EventPayload<E>) => void) => Unsubscribe;
  };
};

/** A dropped file as the window holds it (a DOM `File` satisfies this). */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}

type ShellOnly = {
  files: {
    /** Registers files dropped on (or chosen in) the window; returns their tokens. */
    addDropped(files: readonly DroppedFile[]): Promise<Result<FileRef[]>>;
  };
};

type Merge<A, B> = {
  [K in keyof A | keyof B]: (K extends keyof A ? A[K] : unknown) & (K extends keyof B ? B[K] : unknown);
};

/** `window.metricdrop` in Electron (from the preload) and the fetch client in web mode. */
export type Api = Merge<Merge<ChannelFunctions, EventFunctions>, ShellOnly>;

export interface Transport {
  invoke(channel: AnyChannel, input: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
}

function splitName(name: string): [string, string] {
  const i = name.indexOf(':');
  return [name.slice(0, i), name.slice(i + 1)];
}

/**
 * Builds the channel and event functions of the API over a transport. `addDropped` is the one
 * function each shell writes itself (the preload reads paths, the web client uploads bytes).
 */
export function buildChannelApi(transport: Transport): Merge<ChannelFunctions, EventFunctions> {
  const api: Record<string, Record<string, unknown>> = {};
  const group = (d: string) => (api[d] ??= {});
  for (const name of [...channels, ...shellChannels]) {
    const [d, v] = splitName(name);
    group(d)[v] = (input: unknown) => transport.invoke(name, input);
  }
  for (const name of eventNames) {
    const [d, v] = splitName(name);
    group(d)[`on${v.charAt(0).toUpperCase()}${v.slice(1)}`] = (listener: (payload: unknown) => void) => transport.subscribe(name, listener);
  }
  return api as unknown as Merge<ChannelFunctions, EventFunctions>;
}
