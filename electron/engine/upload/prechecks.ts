import type { AppErrorShape } from '../../../shared/errors.ts';
import type { UploadMode, UploadResult, ValidateReport } from '../../../shared/report.ts';
import type { KnownClient } from '../store/known-clients.ts';

/** A .zip of exports is validated file by file; each file inside is its own upload, chosen on purpose. */
export function archiveRefusal(report: ValidateReport): AppErrorShape | null {
  if (!report.entries || report.refused) return null;
  return {
    code: 'UNKNOWN_FORMAT',
    message: `${report.file} is an archive of ${report.entries.length} files. Unpack it and upload each export on its own (\`metricdrop validate\` shows what each file inside holds).`,
  };
}

/** The answer for a file that never reached the server: its report, and the refusal or failure, if any. */
export function unsentResult(report: ValidateReport, mode: UploadMode, error: AppErrorShape | null): UploadResult {
  return { ...report, uploadId: null, mode, status: null, plan: null, error, previous: null };
}

/** Refusals the app can see before sending anything: the server checks them again. */
export function precheck(report: ValidateReport, target: KnownClient, mode: UploadMode): AppErrorShape | null {
  if (report.refused) return report.refused;
  if (mode === 'COMMIT' && report.rows.invalid > 0) {
    return { code: 'INVALID_VALUE', message: `${report.rows.invalid} row(s) have errors; fix them (see the issues) before uploading.` };
  }
  if (report.rows.valid === 0) return { code: 'INVALID_VALUE', message: 'The file has no valid data rows to upload.' };
  if (report.currency !== null && target.currency !== '' && report.currency !== target.currency) {
    return {
      code: 'CURRENCY_MISMATCH',
      message: `The file is in ${report.currency} but ${target.clientName} reports in ${target.currency}. Export the report in ${target.currency} or pick the right client.`,
    };
  }
  if (mode === 'COMMIT' && target.role === 'viewer') {
    return {
      code: 'NOT_AUTHORIZED',
      message:
        target.unknownRole !== undefined
          ? `Your role in ${target.workspaceName} is "${target.unknownRole}", which this version of metricdrop does not know, so it does not upload with it. Update metricdrop, or ask an owner or admin of ${target.workspaceName} to make you a member.`
          : `You are a viewer in ${target.workspaceName}; ask an owner or admin to make you a member to upload.`,
    };
  }
  return null;
}
