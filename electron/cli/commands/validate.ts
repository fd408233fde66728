import type { ValidateReport } from '../../../shared/report.ts';
import { UsageError } from '../args.ts';
import type { CommandModule } from '../command.ts';
import { write } from '../io.ts';
import { formatValidateReport } from '../format-validate.ts';
import { EXIT } from '../command.ts';
import { MAPPING_FLAGS, mappingFromArgs } from '../mapping-flags.ts';
import type { Platform } from '../../../shared/canonical.ts';

export const validateCommand: CommandModule = {
  name: 'validate',
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
  async run(ctx, args) {
    const file = args.positionals[0]!;
    const platform = args.flags.platform as Platform | undefined;
    const json = args.flags.json === true;
    const errorsCsv = typeof args.flags['errors-csv'] === 'string' ? args.flags['errors-csv'] : null;
    if (errorsCsv !== null && errorsCsv === file) throw new UsageError('--errors-csv must not be the file being validated.');
    const { mapping, save } = mappingFromArgs(args);

    const [{ exitCodeForReport, validateExport }, { writeIssuesCsv }] = await Promise.all([
      import('../../engine/validate/index.ts'),
      import('../../engine/validate/issues-csv.ts'),
    ]);
    let report: ValidateReport;
    let recorded = true;
    let engine: ReturnType<typeof ctx.engine> | undefined;
    try {
      engine = ctx.engine();
    } catch (err) {
      // Validation needs no store; say that this one could not be recorded, and carry on.
      recorded = false;
      await write(
        ctx.io.stderr,
        `metricdrop: the local store in ${ctx.home} cannot be opened (${err instanceof Error ? err.message : String(err)}); this validation is not recorded.\n`,
      );
    }
    if (engine) report = (await engine.validateFile(file, { platform, mapping, saveMapping: save })).report;
    else report = (await validateExport(file, { platform, mapping: { given: mapping } })).report;

    if (errorsCsv !== null) await writeIssuesCsv(report, errorsCsv);
    if (json) await write(ctx.io.stdout, `${JSON.stringify(report)}\n`);
    else {
      const text = formatValidateReport(report, { errorsCsv, recorded });
      await write(ctx.io.stdout, text.out);
      if (text.err) await write(ctx.io.stderr, text.err);
    }
    // A --map the file does not fit is wrong usage (the message names the column).
    return report.refused?.code === 'INVALID_MAPPING' ? EXIT.usage : exitCodeForReport(report);
  },
};
