import type { UploadProgress } from '../../../shared/ipc-contract.ts';
import type { ValidateFileOptions } from '../index.ts';

/**
 * The shapes `engine.uploads` takes (its answers are `UploadResult`, shared/report.ts). Declared
 * once here; the CLI and the host import them.
 */

/** What a caller hears while an upload or dry run runs, and how it stops one (cancel). */
export interface RunHooks {
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

/** The client an upload or dry run is for: `--client` and `--workspace`, each an id or a name. */
export interface Target {
  clientRef: string;
  workspaceRef?: string;
}

/** An upload's target, and optionally the server dry run of the same file it should commit. */
export interface UploadTarget extends Target {
  /** Commit this dry run's staged rows when it is still the file's staged dry run for that client; else upload afresh. */
  dryRunId?: string | undefined;
}

/** How `uploadFile` and `dryRunFile` read the file, and what must happen between reading it and the server (a sign-in). */
export interface FileRunOptions {
  validate?: ValidateFileOptions;
  beforeServer?: () => Promise<void>;
}
