import { z } from 'zod';
import { PlanCounts, UploadStatus } from '../../../shared/report.ts';

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
    mode: z.enum(['FULL_DRY_RUN', 'COMMIT']),
    created_at: z.string(),
    previous: PreviousAnswer,
  })
  .passthrough();
export type BeginAnswer = z.infer<typeof BeginAnswer>;

export const StageAnswer = z.object({ batch_no: z.number().int(), staged: z.number().int() }).passthrough();

export const CountsAnswer = z
  .object({ create: z.number().int(), update: z.number().int(), unchanged: z.number().int() })
  .passthrough();

export const ProgressAnswer = z
  .object({
    status: UploadStatus,
    mode: z.enum(['FULL_DRY_RUN', 'COMMIT']),
    row_count: z.number().int(),
    staged_rows: z.number().int(),
    staged_batches: z.array(z.number().int()),
    dimensions_done: z.array(z.enum(['campaign', 'ad_set', 'ad'])),
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

export const ENTITY_TYPES = ['campaign', 'ad_set', 'ad'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Rows per `stage_rows` call: large enough to amortise a round trip, small enough for one request. */
export const STAGE_BATCH_ROWS = 2_500;
/** The lock: facts are written 1,000 rows per transaction. */
export const FACT_BATCH_ROWS = 1_000;
