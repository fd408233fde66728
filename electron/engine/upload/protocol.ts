import * as z from 'zod';
import { Level } from '../../../shared/canonical.ts';
import { PlanCounts, UploadMode, UploadStatus } from '../../../shared/report.ts';

/** Answers of the ingest functions (docs/architecture.md), parsed at the edge so drift is loud. */
/** The last completed commit of the same file for the client: "uploaded before on … by …". */
export const PreviousAnswer = z
  .object({ id: z.string(), uploaded_by_email: z.string().nullable().optional(), created_at: z.string() })
  .passthrough()
  .nullable()
  .optional();

export const BeginAnswer = z
  .object({
    id: z.string().uuid(),
    status: UploadStatus,
    mode: UploadMode,
    created_at: z.string(),
    previous: PreviousAnswer,
  })
  .passthrough();
export type BeginAnswer = z.infer<typeof BeginAnswer>;

export const StageAnswer = z.object({ batch_no: z.number().int(), staged: z.number().int() }).passthrough();

export const CountsAnswer = z.object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int() }).passthrough();

export const ProgressAnswer = z
  .object({
    status: UploadStatus,
    mode: UploadMode,
    row_count: z.number().int(),
    staged_rows: z.number().int(),
    staged_batches: z.array(z.number().int()),
    dimensions_done: z.array(Level),
    fact_batches_done: z.array(z.number().int()),
    fact_batch_count: z.number().int(),
  })
  .passthrough();
export type ProgressAnswer = z.infer<typeof ProgressAnswer>;

export const FinishAnswer = z
  .object({
    id: z.string().uuid(),
    status: UploadStatus,
    plan: z.object({ campaigns: PlanCounts, adSets: PlanCounts, ads: PlanCounts, facts: PlanCounts }),
  })
  .passthrough();
export type FinishAnswer = z.infer<typeof FinishAnswer>;

/** `preflight()`: the readiness checklist as data; `ok` when every required check passes. */
export const PreflightAnswer = z.object({
  ok: z.boolean(),
  schema_version: z.string().nullable(),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), required: z.boolean(), detail: z.unknown().optional() }).passthrough()),
});
export type PreflightAnswer = z.infer<typeof PreflightAnswer>;

/** The database's entity types are the canonical row's levels, coarsest first (the order dimensions resolve in). */
export const ENTITY_TYPES = Level.options;

/**
 * The most rows of one packed `stage_batch` call (the server's limit), recorded with each new
 * upload. Batches are cut by bytes first (STAGE_BATCH_BYTES).
 */
export const STAGE_BATCH_ROWS = 5_000;
/** Uploads begun by versions before packed batches: keyed `stage_rows` batches of 2,500 rows. */
export const LEGACY_STAGE_BATCH_ROWS = 2_500;
/**
 * Bytes of one packed batch: a few round trips' worth of a slow uplink (96 KiB is 40 ms at
 * 20 Mbit/s), so a window of DEFAULT_WINDOW batches keeps the link busy across a 60 ms round trip
 * while each request stays short enough to retry cheaply. Part of the layout: changing it changes
 * which rows batch k holds, so uploads begun under another value would resume wrongly.
 */
export const STAGE_BATCH_BYTES = 96 * 1024;
/** Requests in flight at once while staging and writing facts. */
export const DEFAULT_WINDOW = 4;
/** The lock: facts are written 1,000 rows per transaction. */
export const FACT_BATCH_ROWS = 1_000;
