import * as z from 'zod';
import { CurrencyCode, DecimalString, IntegerString, IsoDate, Level, Platform } from './canonical.ts';
import { AppErrorShape, ErrorCode } from './errors.ts';
import { AppliedMapping, MappingProposal } from './mapping.ts';

/** One problem found in a file: the spreadsheet row and the column header as written. */
export const ValidationIssue = z.object({
  row: z.number().int().positive().nullable(),
  column: z.string().nullable(),
  code: ErrorCode,
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssue>;

/**
 * How a file's text was read: a byte-order mark's Unicode, UTF-8, a legacy code page Excel's plain
 * "CSV" writes (named from the bytes), or `xlsx` for a workbook read natively.
 */
export const TextEncoding = z.enum([
  'utf-8',
  'utf-8-bom',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'windows-1250',
  'shift_jis',
  'cp949',
  'gb18030',
  'big5',
  'xlsx',
]);
export type TextEncoding = z.infer<typeof TextEncoding>;

/** A workbook's sheet that was read, and what the reader noticed about its cells. */
export const WorkbookFacts = z.object({
  /** The sheet the rows came from. */
  sheet: z.string(),
  /** Every sheet of the workbook, in workbook order. */
  sheets: z.array(z.string()),
  /**
   * Headers of columns whose cells are numbers formatted as percentages: their values are the
   * fractions Excel stores (`0.1218` shows as 12.18%), passed on exactly.
   */
  fractionColumns: z.array(z.string()),
});
export type WorkbookFacts = z.infer<typeof WorkbookFacts>;

/** How the file was read (an addition to the document of docs/cli.md; null where nothing was read). */
export const ReadInfo = z.object({
  encoding: TextEncoding.nullable(),
  workbook: WorkbookFacts.nullable(),
});
export type ReadInfo = z.infer<typeof ReadInfo>;

/** One file's report: `metricdrop validate --json` as docs/cli.md describes it, plus `read`. */
const FileReport = z.object({
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  /** Null only in a refused report when the file was not read to its end (too large, unreadable, refused early). */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
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
  /**
   * The file refused whole. `message` starts with the problem to fix first and lists the others;
   * `problems` (only when there are several) has each one with its code, in that order.
   */
  refused: z
    .object({
      code: ErrorCode,
      message: z.string(),
      problems: z.array(z.object({ code: ErrorCode, message: z.string(), columns: z.array(z.string()).optional() })).optional(),
    })
    .nullable(),
  /** Added: how the file was read (encoding; for a workbook, the sheet). Absent in reports recorded before it. */
  read: ReadInfo.optional(),
  /**
   * Added with column mapping, so absent in reports recorded before it: in a refused report whose
   * columns a person can place (UNKNOWN_FORMAT, MISSING_COLUMN, INVALID_MAPPING), the platforms and
   * columns metricdrop proposes.
   */
  mapping: MappingProposal.optional(),
  /** Added with column mapping, so absent in reports recorded before it: the confirmed mapping this file was read with. */
  mapped: AppliedMapping.optional(),
});

/**
 * `metricdrop validate --json`. For a .zip of exports (Google Ads' "download all cards") the
 * archive's own report (name, size, SHA-256; no rows of its own) with `entries`: one report per file
 * inside, in archive order, each as if that file had been dropped on its own.
 */
export const ValidateReport = FileReport.extend({
  entries: z.array(FileReport).optional(),
});
export type ValidateReport = z.infer<typeof ValidateReport>;

/**
 * Entities of a level the file has no usable IDs for, matched by name against the client's existing
 * ones: how many were found (and so are not new), how many were not (new entities, a warning), with
 * the first names of each, in file order.
 */
export const MatchedByName = z.object({
  matched: z.number().int().nonnegative(),
  created: z.number().int().nonnegative(),
  matchedNames: z.array(z.string()),
  createdNames: z.array(z.string()),
});
export type MatchedByName = z.infer<typeof MatchedByName>;

export const PlanCounts = z.object({
  create: z.number().int().nonnegative(),
  update: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  /** Present when the level was matched by name (server plans only). */
  byName: MatchedByName.optional(),
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

/** A completed commit of the same file for the same client: "uploaded before, on … by …". */
export const PreviousUpload = z.object({
  uploadId: z.string(),
  at: z.string(),
  by: z.string().nullable(),
});
export type PreviousUpload = z.infer<typeof PreviousUpload>;

/**
 * What the engine's dry run, upload and resume answer (`engine.uploads`), and so what
 * `dry-run --json`, `upload --json` and `resume --json` print: an `UploadReport` plus `previous`.
 * The window receives it as the contract's `UploadOutcome` (`previous` told as a warning).
 */
export const UploadResult = UploadReport.extend({
  previous: PreviousUpload.nullable(),
});
export type UploadResult = z.infer<typeof UploadResult>;
