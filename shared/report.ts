import { z } from 'zod';
import { CurrencyCode, DecimalString, IntegerString, IsoDate, Level, Platform } from './canonical.ts';
import { AppErrorShape, ErrorCode } from './errors.ts';

/** One problem found in a file: the spreadsheet row and the column header as written. */
export const ValidationIssue = z.object({
  row: z.number().int().positive().nullable(),
  column: z.string().nullable(),
  code: ErrorCode,
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/** `metricdrop validate --json`, exactly as `../shared/spec/cli.md` defines it. */
export const ValidateReport = z.object({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Null only in a refused report when the file was not read to its end (too large, unreadable, refused early). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  platform: Platform.nullable(),
  level: Level.nullable(),
  currency: CurrencyCode.nullable(),
  rows: z.object({
    total: z.number().int().nonnegative(),
    valid: z.number().int().nonnegative(),
    invalid: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
  }),
  dateRange: z.object({ from: IsoDate, to: IsoDate }).nullable(),
  entities: z.object({
    campaigns: z.number().int().nonnegative(),
    adSets: z.number().int().nonnegative(),
    ads: z.number().int().nonnegative(),
  }),
  totals: z.object({
    impressions: IntegerString,
    clicks: IntegerString,
    spend: DecimalString,
    conversions: DecimalString,
    conversionValue: DecimalString,
  }),
  issues: z.array(ValidationIssue),
  refused: z.object({ code: ErrorCode, message: z.string() }).nullable(),
});
export type ValidateReport = z.infer<typeof ValidateReport>;

export const PlanCounts = z.object({
  create: z.number().int().nonnegative(),
  update: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
});
export type PlanCounts = z.infer<typeof PlanCounts>;

/** What an upload would change (dry run) or changed (commit). */
export const Plan = z.object({
  source: z.enum(['server', 'local']),
  campaigns: PlanCounts,
  adSets: PlanCounts,
  ads: PlanCounts,
  facts: PlanCounts,
});
export type Plan = z.infer<typeof Plan>;

export const UploadMode = z.enum(['FULL_DRY_RUN', 'COMMIT']);
export type UploadMode = z.infer<typeof UploadMode>;

export const UploadStatus = z.enum(['pending', 'staging', 'staged', 'committing', 'completed', 'failed', 'expired']);
export type UploadStatus = z.infer<typeof UploadStatus>;

/** `metricdrop dry-run --json` and `metricdrop upload --json`: the validate report plus these. */
export const UploadReport = ValidateReport.extend({
  uploadId: z.string().uuid().nullable(),
  mode: UploadMode,
  status: UploadStatus.nullable(),
  plan: Plan.nullable(),
  error: AppErrorShape.nullable(),
});
export type UploadReport = z.infer<typeof UploadReport>;
