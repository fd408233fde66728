import * as z from 'zod';
import type { AppEngine } from '../../electron/host/engine-port.ts';
import type { HandlerMap } from '../../electron/host/handlers.ts';
import {
  CampaignSummary,
  Client,
  contract,
  HistoryDetail,
  HistoryEntry,
  InterruptedUpload,
  SessionInfo,
  SpendByDay,
  UploadOutcome,
  Workspace,
  type Channel,
} from '../../shared/ipc-contract.ts';
import { ValidateReport } from '../../shared/report.ts';
import { SavedMapping } from '../../shared/mapping.ts';

/**
 * The handlers with every answer parsed by the contract's `output` schema: an answer the window
 * would receive but the contract does not describe fails the test that caused it, naming the
 * channel and the field.
 */
export function contractCheckedHandlers(handlers: HandlerMap): HandlerMap {
  const checked: Partial<Record<Channel, unknown>> = {};
  for (const channel of Object.keys(handlers) as Channel[]) {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    checked[channel] = async (input: unknown) => parseOutput(`${channel} output`, contract[channel].output, await handler(input));
  }
  return checked as HandlerMap;
}

const Session = SessionInfo.omit({ secretStore: true });
const ENGINE_OUTPUTS: { [M in keyof AppEngine]: z.ZodType } = {
  validate: z.object({ validationId: z.string().min(1), report: ValidateReport }),
  spendByDay: SpendByDay,
  campaigns: z.array(CampaignSummary),
  session: Session,
  signIn: Session,
  signOut: Session,
  workspaces: z.array(Workspace),
  clients: z.array(Client),
  dryRun: UploadOutcome,
  upload: UploadOutcome,
  resume: UploadOutcome,
  interrupted: z.array(InterruptedUpload),
  history: z.array(HistoryEntry),
  historyEntry: HistoryDetail,
  mappings: z.array(SavedMapping),
  changeMapping: SavedMapping,
  forgetMapping: z.boolean(),
};

/** The window's view of the engine with every answer parsed by the contract schema it feeds. */
export function contractCheckedEngine(engine: AppEngine): AppEngine {
  return new Proxy(engine, {
    get(target, name, receiver) {
      const method = Reflect.get(target, name, receiver) as unknown;
      const schema = ENGINE_OUTPUTS[name as keyof AppEngine];
      if (typeof method !== 'function' || !schema) return method;
      return async (...args: unknown[]) =>
        parseOutput(`engine.${String(name)}()`, schema, await (method as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}

function parseOutput(what: string, schema: z.ZodType, value: unknown): unknown {
  const r = schema.safeParse(value);
  if (r.success) return value;
  const first = r.error.issues[0];
  throw new Error(`${what} breaks the contract at ${first?.path.join('.') || '(top)'}: ${first?.message ?? r.error.message}`);
}
