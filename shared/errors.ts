import * as z from 'zod';

/**
 * Error codes of the data contract (docs/data-contract.md). Binding names: codes may be
 * added, never renamed. File-level codes refuse a whole file or upload; row-level codes mark a row.
 */
export const FILE_ERROR_CODES = [
  'SCHEMA_INCOMPLETE',
  'FILE_TOO_LARGE',
  'TOO_MANY_ROWS',
  'CONCURRENCY_LIMIT',
  'RATE_LIMITED',
  'UPLOAD_EXPIRED',
  'UNKNOWN_FORMAT',
  'MISSING_COLUMN',
  'ENCODING_ERROR',
  'CURRENCY_MISMATCH',
  'NOT_AUTHORIZED',
  // Added codes (the contract allows adding):
  'NOT_SIGNED_IN',
  'NETWORK_ERROR',
  'SERVER_ERROR',
  'UPLOAD_NOT_FOUND',
  'CLIENT_NOT_FOUND',
  'INVALID_INPUT',
  'UPLOAD_CONFLICT',
  'CANCELLED',
  // A warning: a workbook with several data sheets, and which one was read.
  'SEVERAL_SHEETS',
  // A confirmed column mapping that cannot be applied (a header the file lacks, two fields on one
  // column, text mapped to a number): an error on the mapping, never a guess. CLI exit 64.
  'INVALID_MAPPING',
  // An upload that stopped before anything was sent cannot be finished: its file is gone or changed.
  'FILE_CHANGED',
] as const;

export const ROW_ERROR_CODES = [
  'INVALID_VALUE',
  'DUPLICATE_ROW',
  'CONFLICTING_DIMENSION',
  // Added (a warning, never an error): the export's own summary and total rows, skipped and counted.
  'SUMMARY_ROW',
] as const;

export const ERROR_CODES = [...FILE_ERROR_CODES, ...ROW_ERROR_CODES] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Failures that leave an upload part-way and resumable (the network, the server, a cancel). Every
 * other code is a refusal: sending the same request again would be refused again.
 */
export const RESUMABLE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['NETWORK_ERROR', 'SERVER_ERROR', 'CANCELLED']);

export function isResumable(code: ErrorCode): boolean {
  return RESUMABLE_CODES.has(code);
}

/** A refusal as it crosses IPC, the command line's JSON and the local audit log. */
export const AppErrorShape = z.object({
  code: ErrorCode,
  message: z.string(),
  stage: z.string().optional(),
});
export type AppErrorShape = z.infer<typeof AppErrorShape>;

/** Thrown inside the engine; converted to `AppErrorShape` at every boundary. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly stage: string | undefined;
  constructor(code: ErrorCode, message: string, stage?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.stage = stage;
  }
  toJSON(): AppErrorShape {
    return this.stage === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, stage: this.stage };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/**
 * The limits of the data contract, checked by the app first so users learn early (the server
 * enforces them again). 50 MB is 50 MiB: 52,428,800 bytes.
 */
export const FILE_LIMITS = {
  maxFileBytes: 50 * 1024 * 1024,
  maxRowsPerUpload: 100_000,
} as const;
