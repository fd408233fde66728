import { ZodError } from 'zod';
import type { Logger } from '../engine/index.ts';
import { isAppError } from '../../shared/errors.ts';
import { inputSchema, isChannel, isShellChannel, type AnyChannel, type IpcError, type Result } from '../../shared/ipc-contract.ts';

/** The engine's logger (declared once, in engine/deps.ts; `debug` is optional there, the shells keep none). */
export type { Logger };

/** A sentence naming the first offending field, e.g. `email: an email address`. */
function describeZod(err: ZodError): string {
  const first = err.issues[0];
  if (!first) return 'The request was not valid.';
  const where = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  return `${where}${first.message}`;
}

/**
 * An error envelope that already has its final shape (the answer of an engine host in another
 * process), thrown by a forwarding handler so `dispatch` passes it on unchanged.
 */
export class IpcFailure extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
    this.name = 'IpcFailure';
  }
}

/** Any thrown value as the envelope's error. Unknown faults never leak a stack to the window. */
export function toIpcError(err: unknown, logger?: Logger): IpcError {
  if (isAppError(err)) return err.toJSON();
  if (err instanceof IpcFailure) return err.error;
  if (err instanceof ZodError) return { code: 'INVALID_INPUT', message: describeZod(err) };
  logger?.error('unexpected error in a handler', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  const detail = err instanceof Error ? err.message : String(err);
  // The fault's own words stay in brackets (support asks for them); the sentence says what to do.
  return {
    code: 'INTERNAL_ERROR',
    message: `metricdrop hit an unexpected problem and did not finish this step (${detail}). Try again; if it happens again, restart metricdrop.`,
  };
}

export type AnyHandler = (input: never) => Promise<unknown>;

/**
 * Runs one call from the window: checks the channel is known to `handlers`, parses the input with
 * the contract's schema, runs the handler, and wraps whatever happens in the Result envelope.
 * Never throws.
 */
export async function dispatch(
  handlers: Partial<Record<AnyChannel, AnyHandler>>,
  channel: string,
  rawInput: unknown,
  logger?: Logger,
): Promise<Result<unknown>> {
  if (!(isChannel(channel) || isShellChannel(channel)) || !Object.hasOwn(handlers, channel)) {
    return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown request "${channel.slice(0, 80)}".` } };
  }
  const parsed = inputSchema(channel).safeParse(rawInput ?? {});
  if (!parsed.success) return { ok: false, error: toIpcError(parsed.error) };
  const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
  try {
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toIpcError(err, logger) };
  }
}
