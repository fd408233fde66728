import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError, type ErrorCode } from '../../../shared/errors.ts';
import type { ValidateReport } from '../../../shared/report.ts';
import { unpackArchive } from '../read/archive.ts';
import { hashFile } from '../read/hash.ts';

/** Validates one unpacked file as if it had been dropped on its own (the engine records it; `validateExport` does not). */
export type ValidateEntry = (path: string, options: { fileName: string }) => Promise<{ report: ValidateReport }>;

/**
 * A .zip of exports: each file inside is unpacked to a temporary file (capped at the file limit
 * while inflating) and validated on its own, so hashing, recording and every check work exactly as
 * for a dropped file; the copies are removed after. The archive's report has no rows of its own:
 * its `entries` hold one report per file. An archive that cannot be opened, or holds more than 50
 * files, is refused whole.
 */
export async function validateArchive(path: string, file: string, bytes: number, validateEntry: ValidateEntry): Promise<ValidateReport> {
  const hashing = hashFile(path, bytes);
  const dir = await mkdtemp(join(tmpdir(), 'metricdrop-zip-'));
  try {
    let members;
    try {
      members = await unpackArchive(path, join(dir, 'files'));
    } catch (err) {
      if (!isAppError(err)) throw err;
      hashing.cancel();
      return { ...emptyReport(file, bytes, null), refused: { code: err.code, message: err.message } };
    }
    const entries: ValidateReport[] = [];
    for (const m of members) {
      if (m.path === null) entries.push({ ...emptyReport(m.name, m.bytes, null), refused: m.refusal });
      else {
        const { report } = await validateEntry(m.path, { fileName: m.name });
        entries.push(withoutEntries(report));
        await rm(m.path, { force: true });
      }
    }
    const sha256 = await hashing.result.then((h) => h.sha256).catch(() => null);
    return { ...emptyReport(file, bytes, sha256), entries };
  } finally {
    hashing.cancel();
    await rm(dir, { recursive: true, force: true });
  }
}

/** An archive member's report is a file's report: a nested archive was refused before it got here. */
function withoutEntries(report: ValidateReport): ValidateReport {
  const { entries: _entries, ...rest } = report;
  return rest;
}

export function emptyReport(
  file: string,
  bytes: number,
  sha256: string | null,
): ValidateReport & { refused: { code: ErrorCode; message: string } | null } {
  return {
    file,
    bytes,
    sha256,
    platform: null,
    level: null,
    currency: null,
    rows: { total: 0, valid: 0, invalid: 0, skipped: 0 },
    dateRange: null,
    entities: { campaigns: 0, adSets: 0, ads: 0 },
    totals: { impressions: '0', clicks: '0', spend: '0', conversions: '0', conversionValue: '0' },
    issues: [],
    refused: null,
    read: { encoding: null, workbook: null },
  };
}
