import type { UploadMode } from '../../../shared/report.ts';
import { UsageError } from '../args.ts';
import type { CommandModule } from '../command.ts';
import { MAPPING_FLAGS } from '../mapping-flags.ts';

// The work is loaded when the command runs (actions/), so `--help` loads none of the engine.
const actions = () => import('../actions/upload.ts');

const TARGET_FLAGS = {
  client: { type: 'string', value: 'ID|NAME', description: 'the client (advertiser) the file reports for' },
  workspace: { type: 'string', value: 'ID|NAME', description: 'the workspace, when the client name is not unique' },
  platform: { type: 'string', choices: ['meta', 'google', 'tiktok'], value: 'meta|google|tiktok', description: 'skip detection' },
  json: { type: 'boolean', description: 'print one JSON document on standard output' },
  ...MAPPING_FLAGS,
} as const;

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
      return await (await actions()).runFileCommand(ctx, args, mode);
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
  run: async (ctx, args) => (await actions()).runResume(ctx, args),
};
