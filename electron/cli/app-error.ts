import { AppError, isResumable, type ErrorCode } from '../../shared/errors.ts';
import { EXIT, type CommandContext } from './command.ts';
import { write } from './io.ts';

/** Refusals of the whole file or upload exit 2 (docs/cli.md); network and server trouble is resumable: exit 1. */
export function isRefusal(code: ErrorCode): boolean {
  return !isResumable(code);
}

/**
 * Ends a command on an `AppError` (anything else is rethrown: a programming error): with `--json`
 * prints `jsonDoc` plus `error`, always says the code and sentence on standard error, and returns
 * 2 for a refusal, 1 for trouble that can be retried or resumed.
 */
export async function endWithAppError(
  ctx: Pick<CommandContext, 'io'>,
  err: unknown,
  json: boolean,
  jsonDoc: Record<string, unknown> = {},
): Promise<number> {
  if (!(err instanceof AppError)) throw err;
  if (json) await write(ctx.io.stdout, `${JSON.stringify({ ...jsonDoc, error: err.toJSON() })}\n`);
  await write(ctx.io.stderr, `metricdrop: ${err.code}: ${err.message}\n`);
  return isRefusal(err.code) ? EXIT.refused : EXIT.rowsOrPartial;
}
