import type { CommandModule } from '../command.ts';
import { MAPPING_FLAGS } from '../mapping-flags.ts';

// The work is loaded when the command runs (actions/), so `--help` loads none of the engine.

export const validateCommand: CommandModule = {
  name: 'validate',
  uses: 'validation',
  recordsRowsOf: (args) => args.positionals[0],
  summary: 'check an export row by row, offline (no account needed)',
  usage: 'validate <file> [--platform meta|google|tiktok] [--json] [--errors-csv OUT] [--map FIELD=HEADER]... [--no-save]',
  description: [
    'Reads a Meta Ads Manager, Google Ads or TikTok Ads Manager export: CSV or TSV (UTF-8, UTF-16, or',
    "the legacy code page Excel's plain CSV writes), an Excel workbook (.xlsx), or a .zip of exports",
    '(each file inside is validated on its own).',
    'recognises it, and checks every row. The result is recorded in the local store, so a dry run',
    'or an upload of the same file does not read it again.',
    '',
    'When some columns cannot be placed, the refusal lists what each field would be read from; answer',
    'with --platform and --map FIELD=HEADER (saved, so the next file with the same header needs none).',
    '',
    'Exit codes: 0 no row has errors; 1 some rows have errors; 2 the file is refused whole; 64 wrong usage',
    '(including a --map the file does not fit).',
  ].join('\n'),
  flags: {
    platform: {
      type: 'string',
      choices: ['meta', 'google', 'tiktok'],
      value: 'meta|google|tiktok',
      description: 'skip detection: the file comes from this platform',
    },
    json: { type: 'boolean', description: 'print the report as one JSON document on standard output' },
    'errors-csv': { type: 'string', value: 'OUT', description: 'write every issue to the CSV file OUT (safe to open in a spreadsheet)' },
    ...MAPPING_FLAGS,
  },
  positionals: { min: 1, max: 1 },
  run: async (ctx, args) => (await import('../actions/validate.ts')).runValidate(ctx, args),
};
