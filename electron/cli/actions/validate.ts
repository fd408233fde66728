import type { Platform } from '../../../shared/canonical.ts';
import type { ValidateReport } from '../../../shared/report.ts';
import { UsageError, type ParsedArgs } from '../args.ts';
import { EXIT, type CommandContext } from '../command.ts';
import { formatValidateReport } from '../format-validate.ts';
import { write } from '../io.ts';
import { mappingFromArgs } from '../mapping-flags.ts';

/** `metricdrop validate FILE` (commands/validate.ts has its flags and help). */
export async function runValidate(ctx: CommandContext, args: ParsedArgs): Promise<number> {
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
  let engine: ReturnType<typeof ctx.validation> | undefined;
  try {
    engine = ctx.validation();
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
}
