import type { UploadOutcome } from '../../shared/ipc-contract.ts';
import type { ValidateReport } from '../../shared/report.ts';

/** A clean validation report of a small Meta ad-level file, for tests of what shows or keeps one. */
export function testReport(over: Partial<ValidateReport> = {}): ValidateReport {
  return {
    file: 'f.csv',
    bytes: 10,
    sha256: 'a'.repeat(64),
    platform: 'meta',
    level: 'ad',
    currency: 'EUR',
    rows: { total: 10, valid: 10, invalid: 0, skipped: 0 },
    dateRange: { from: '2025-09-01', to: '2025-09-30' },
    entities: { campaigns: 1, adSets: 1, ads: 1 },
    totals: { impressions: '1', clicks: '1', spend: '1', conversions: '0', conversionValue: '0' },
    issues: [],
    refused: null,
    ...over,
  };
}

/** The window's answer for a completed upload of `testReport`'s file (its fields overridden by `over`). */
export function testUploadOutcome(uploadId: string, over: Partial<ValidateReport> = {}): UploadOutcome {
  return { ...testReport(over), uploadId, mode: 'COMMIT', status: 'completed', plan: null, error: null, warnings: [] };
}
