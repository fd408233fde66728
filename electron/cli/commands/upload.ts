import type { Platform } from '../../../shared/canonical.ts';
import type { UploadMode, UploadResult } from '../../../shared/report.ts';
import type { ValidateFileOptions } from '../../engine/index.ts';
import type { CommandContext, CommandModule } from '../command.ts';
import { UsageError, type ParsedArgs } from '../args.ts';
import { endWithAppError } from '../app-error.ts';
import { write } from '../io.ts';
import { exitCodeForUpload, formatUploadResult, progressPrinter } from '../upload-output.ts';
import { signInFromEnvIfNeeded } from './account.ts';
import { EXIT } from '../command.ts';
import { MAPPING_FLAGS, mappingFromArgs } from '../mapping-flags.ts';

const TARGET_FLAGS = {
  client: { type: 'string', value: 'ID|NAME', description: 'the client (advertiser) the file reports for' },
  workspace: { type: 'string', value: 'ID|NAME', description: 'the workspace, when the client name is not unique' },
  platform: { type: 'string', choices: ['meta', 'google', 'tiktok'], value: 'meta|google|tiktok', description: 'skip detection' },
  json: { type: 'boolean', description: 'print one JSON document on standard output' },
  ...MAPPING_FLAGS,
} as const;

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

async function runFileCommand(ctx: CommandContext, args: ParsedArgs, mode: UploadMode): Promise<number> {
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

/** `dry-run` and `upload`: the same flags and steps, in their own mode. */
function fileCommand(name: string, mode: UploadMode, summary: string, description: string[]): CommandModule {
  const command: CommandModule = {
    name,
    summary,
    usage: `${name} <file> --client <id|name> [--workspace <id|name>] [--json] [--platform P] [--map FIELD=HEADER]... [--no-save]`,
    description: description.join('\n'),
    flags: TARGET_FLAGS,
    positionals: { min: 1, max: 1 },
    async run(ctx, args) {
      if (typeof args.flags.client !== 'string') throw new UsageError(`${name} needs --client <id|name>.`, command);
      return await runFileCommand(ctx, args, mode);
    },
  };
  return command;
}

export const dryRunCommand = fileCommand(
  'dry-run',
  'FULL_DRY_RUN',
  'show what an upload would change (new, updated, unchanged), writing nothing',
  [
    'Signed in and online, the server plans it (FULL_DRY_RUN): rows are staged there, no campaign, ad or',
    "daily row is written, and the dry run is then discarded so it holds none of the workspace's three",
    'upload slots. Offline, the plan is computed against what this computer uploaded before.',
    'Exit codes: 0 planned; 1 rows have errors or the server could not finish; 2 refused; 64 wrong usage.',
  ],
);

export const uploadCommand = fileCommand('upload', 'COMMIT', "upload an export to the agency's database, stage by stage (resumable)", [
  'Validates the file, then begins the upload, stages the rows, upserts campaigns, ad sets and ads, and',
  'writes daily rows 1,000 per transaction. Each step is recorded before the next; if the upload stops',
  '(network, crash, Ctrl-C), "metricdrop resume" continues it and nothing is written twice.',
  'Exit codes: 0 completed; 1 rows have errors or the upload stopped part-way; 2 refused; 64 wrong usage.',
]);

export const resumeCommand: CommandModule = {
  name: 'resume',
  summary: 'continue interrupted uploads from where they stopped (all, oldest first, or one)',
  usage: 'resume [<upload-id>] [--json]',
  description: 'Asks the server what it has, then sends only what is missing. With --json: {"resumed": [ … ]}.',
  flags: { json: { type: 'boolean', description: 'print one JSON document on standard output' } },
  positionals: { min: 0, max: 1 },
  async run(ctx, args) {
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
  },
};
