import type { Engine } from '../engine/index.ts';
import type { ValidationApi } from '../engine/validation.ts';
import type { FlagSpecs, ParsedArgs } from './args.ts';
import type { CliIo } from './io.ts';

/** What a command gets to run with. */
export interface CommandContext {
  io: CliIo;
  /** The local data folder (`--home`, `METRICDROP_HOME`, or the per-user default). */
  home: string;
  /** Opens the local store and builds the engine on first use; closed when the command ends. */
  engine(): Engine;
  /** The same for the validate part alone (a command with `uses: 'validation'` has only this). */
  validation(): ValidationApi;
}

/**
 * One command of `metricdrop`. Each is described in its own file in `electron/cli/commands/` and listed
 * in `commands/index.ts`; `main.ts` parses its flags from `flags`, prints its help, and runs it. What
 * it does lives in `electron/cli/actions/`, imported by `run` when the command runs, so `--help` and
 * wrong usage load neither the engine nor zod nor supabase-js.
 */
export interface CommandModule {
  name: string;
  /** One line for `metricdrop --help`. */
  summary: string;
  /** `validate <file> [--platform meta|google|tiktok] [--json] [--errors-csv OUT]` */
  usage: string;
  /** Longer help text after the usage line (may be empty). */
  description: string;
  flags: FlagSpecs;
  positionals: { min: number; max: number };
  /** `validation`: the command needs only the validate part of the engine, so supabase-js is not loaded. */
  uses?: 'validation';
  /** The file whose rows the command records (validate's): its recording thread may start while the engine loads. */
  recordsRowsOf?(args: ParsedArgs): string | undefined;
  /** Returns the exit code. Throws `UsageError` for wrong usage (exit 64). */
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}

export const EXIT = { ok: 0, rowsOrPartial: 1, refused: 2, usage: 64 } as const;
