import type { Platform } from '../../../shared/canonical.ts';
import type { UploadMode, UploadResult } from '../../../shared/report.ts';
import type { ValidateFileOptions } from '../../engine/index.ts';
import type { ParsedArgs } from '../args.ts';
import { endWithAppError } from '../app-error.ts';
import { EXIT, type CommandContext } from '../command.ts';
import { write } from '../io.ts';
import { mappingFromArgs } from '../mapping-flags.ts';
import { exitCodeForUpload, formatUploadResult, progressPrinter } from '../upload-output.ts';
import { signInFromEnvIfNeeded } from './account.ts';

/** Cancels cleanly on Ctrl-C: the upload stops between calls and can be resumed. */
function cancelOnSigint(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

async function printUploadResult(ctx: CommandContext, result: UploadResult, json: boolean): Promise<number> {
  if (json) await write(ctx.io.stdout, `${JSON.stringify(result)}\n`);
  else {
    const text = formatUploadResult(result);
    if (text.out) await write(ctx.io.stdout, text.out);
    if (text.err) await write(ctx.io.stderr, text.err);
  }
  return exitCodeForUpload(result);
}

/** `dry-run` and `upload` (commands/upload.ts has their flags and help). */
export async function runFileCommand(ctx: CommandContext, args: ParsedArgs, mode: UploadMode): Promise<number> {
  const file = args.positionals[0]!;
  const json = args.flags.json === true;
  const target = {
    clientRef: args.flags.client as string,
    ...(typeof args.flags.workspace === 'string' ? { workspaceRef: args.flags.workspace } : {}),
  };
  const { mapping, save } = mappingFromArgs(args);
  const options = { platform: args.flags.platform as Platform | undefined, mapping, saveMapping: save };
  return await runOnFile(ctx, file, target, options, json, mode);
}

/**
 * `dry-run` and `upload`: the engine reads the file (`upload` records the intent first, so a
 * process killed while reading is finished by `resume`), then signs in from the environment and
 * goes to the server; its answer is printed whatever it is (the engine throws only for bugs).
 */
async function runOnFile(
  ctx: CommandContext,
  file: string,
  target: { clientRef: string; workspaceRef?: string },
  options: ValidateFileOptions,
  json: boolean,
  mode: UploadMode,
): Promise<number> {
  // Ctrl-C while reading ends the process as before (resume then reads the file again); once the
  // server is asked it stops between calls instead.
  let cancel: { signal: AbortSignal; dispose(): void } | null = null;
  const controller = new AbortController();
  try {
    const printer = progressPrinter(ctx.io.stderr);
    const hooks = { signal: controller.signal, ...(printer ? { onProgress: printer } : {}) };
    const beforeServer = async () => {
      cancel = cancelOnSigint();
      cancel.signal.addEventListener('abort', () => controller.abort());
      await signInFromEnvIfNeeded(ctx);
    };
    const uploads = ctx.engine().uploads;
    const result =
      mode === 'COMMIT'
        ? await uploads.uploadFile(file, target, hooks, { validate: options, beforeServer })
        : await uploads.dryRunFile(file, target, hooks, { validate: options, beforeServer, keep: false });
    const code = await printUploadResult(ctx, result, json);
    return result.refused?.code === 'INVALID_MAPPING' ? EXIT.usage : code;
  } finally {
    (cancel as { dispose(): void } | null)?.dispose();
  }
}

/** `resume [UPLOAD-ID]`. */
export async function runResume(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  const json = args.flags.json === true;
  const cancel = cancelOnSigint();
  try {
    await signInFromEnvIfNeeded(ctx);
    const printer = progressPrinter(ctx.io.stderr);
    const results = await ctx
      .engine()
      .uploads.resume(args.positionals[0], { signal: cancel.signal, ...(printer ? { onProgress: printer } : {}) });
    if (json) await write(ctx.io.stdout, `${JSON.stringify({ resumed: results })}\n`);
    else if (results.length === 0) await write(ctx.io.stdout, 'No interrupted uploads.\n');
    else {
      for (const r of results) {
        const text = formatUploadResult(r);
        await write(ctx.io.stdout, text.out);
        if (text.err) await write(ctx.io.stderr, text.err);
      }
    }
    return Math.max(0, ...results.map(exitCodeForUpload));
  } catch (err) {
    return await endWithAppError(ctx, err, json, { resumed: [] });
  } finally {
    cancel.dispose();
  }
}
