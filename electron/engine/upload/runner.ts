import type { Level, Platform } from '../../../shared/canonical.ts';
import { AppError, isResumable, type AppErrorShape } from '../../../shared/errors.ts';
import type { Plan, UploadMode, UploadStatus } from '../../../shared/report.ts';
import {
  BeginAnswer,
  CountsAnswer,
  DEFAULT_WINDOW,
  ENTITY_TYPES,
  FACT_BATCH_ROWS,
  FinishAnswer,
  LEGACY_STAGE_BATCH_ROWS,
  ProgressAnswer,
  STAGE_BATCH_BYTES,
  STAGE_BATCH_ROWS,
  StageAnswer,
} from './protocol.ts';
import { packBatches, stagingOrder, type StagedRow } from './packing.ts';
import { callRpc, type RpcDeps } from './rpc.ts';
import type { UploadJournal } from '../store/uploads.ts';
// Progress events are declared once, in the contract the window receives them through.
import type { UploadProgress, UploadStage } from '../../../shared/ipc-contract.ts';

export type { StagedRow } from './packing.ts';

export interface UploadRequest {
  uploadId: string;
  workspaceId: string;
  clientId: string;
  platform: Platform;
  mode: UploadMode;
  fileName: string;
  sha256: string;
  bytes: number;
  rowCount: number;
  level: Level;
  currency: string | null;
  /**
   * Fixed for the life of an upload so batch numbers stay meaningful on resume: the most rows of a
   * packed, byte-sized `stage_batch` call; LEGACY_STAGE_BATCH_ROWS (uploads begun by an older
   * version) means keyed `stage_rows` batches of exactly that many rows in row order.
   */
  stageBatchRows?: number;
  /**
   * The column mapping the file was read with, if the user confirmed one, recorded in
   * `data_uploads.summary` by `note_upload_mapping` before the upload finishes (again after a promote,
   * which starts the summary afresh).
   */
  columnMapping?: Record<string, unknown> | null | undefined;
}

/** The upload's valid canonical rows in row-number order (from the local store, not the file). */
export interface UploadSource {
  rows(offset: number, limit: number): StagedRow[];
}

/** What the server answered when the stages ran to their end (`runUpload`'s result, not the window's `UploadOutcome`). */
export interface RunOutcome {
  uploadId: string;
  status: UploadStatus;
  plan: Plan;
  previous: BeginAnswer['previous'] | null;
}

export interface RunnerDeps {
  rpc: RpcDeps;
  journal: UploadJournal;
  now: () => number;
}

export interface RunOptions {
  /** Continue an upload begun before: ask the server what is done first. */
  resume?: boolean;
  /** Turn a finished dry run into a commit of the same staged rows. */
  promote?: boolean;
  /** Requests in flight at once while staging and while writing facts (default DEFAULT_WINDOW). */
  concurrency?: number;
  onProgress?: (p: UploadProgress) => void;
}

/**
 * Runs `work` on every item with up to `width` in flight, taking items lazily (a generator makes
 * the next batch only when a slot is free), so the link always has requests on it. Each item's
 * effect is exactly once because every call is idempotent and recorded in the server's ledger.
 */
async function inWindow<T>(items: Iterable<T>, width: number, work: (item: T) => Promise<void>): Promise<void> {
  const it = items[Symbol.iterator]();
  let failed: unknown = null;
  const lane = async () => {
    while (failed === null) {
      const next = it.next();
      if (next.done) return;
      try {
        await work(next.value);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, lane));
  if (failed !== null) throw failed;
}

/** Every row of the upload, read a page at a time with a pause between pages for other work. */
async function allRows(source: UploadSource, count: number): Promise<StagedRow[]> {
  const out: StagedRow[] = [];
  const page = 10_000;
  for (let offset = 0; offset < count; offset += page) {
    out.push(...source.rows(offset, Math.min(page, count - offset)));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Progress of one stage: rows (or entity types) done of the total, the rate and the time left. */
class Meter {
  private readonly started: number;
  private readonly doneBefore: number;
  private bytes = 0;
  constructor(
    private readonly deps: RunnerDeps,
    private readonly head: Pick<UploadProgress, 'uploadId' | 'mode' | 'stage'>,
    private readonly total: number,
    private readonly onProgress?: (p: UploadProgress) => void,
    private done = 0,
  ) {
    this.started = deps.now();
    // What a resumed upload had already done is not part of this run's rate.
    this.doneBefore = done;
    this.emit();
  }
  add(n: number, bytes = 0): void {
    this.done += n;
    this.bytes += bytes;
    this.emit();
  }
  private emit(): void {
    if (!this.onProgress) return;
    const seconds = (this.deps.now() - this.started) / 1000;
    const doneNow = this.done - this.doneBefore;
    const rate = doneNow > 0 && seconds > 0 ? doneNow / seconds : null;
    this.onProgress({
      ...this.head,
      done: this.done,
      total: this.total,
      rowsPerSecond: rate === null ? null : Math.round(rate),
      bytesPerSecond: this.bytes > 0 && seconds > 0 ? Math.round(this.bytes / seconds) : null,
      etaSeconds: rate ? Math.max(0, Math.round((this.total - this.done) / rate)) : null,
    });
  }
}

/**
 * Runs (or resumes) one upload through the stages of the data contract: begin, stage, dimensions
 * (campaigns, ad sets, ads), facts in 1,000-row batches, finish. Each step is recorded in the journal
 * as it completes; on resume the server's `upload_progress` decides what is left, so a step whose
 * answer was lost is neither repeated as new nor skipped.
 */
export async function runUpload(deps: RunnerDeps, req: UploadRequest, source: UploadSource, opts: RunOptions = {}): Promise<RunOutcome> {
  const id = req.uploadId;
  const width = opts.concurrency ?? DEFAULT_WINDOW;
  const stageRows = req.stageBatchRows ?? STAGE_BATCH_ROWS;
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const t0 = deps.now();
    const result = await work();
    deps.journal.stepDone(id, step, deps.now() - t0, result);
    return result;
  };
  // A new upload stages every row: they are read from the store and put in staging order while
  // begin_upload's round trip is on the link, not after it.
  let ordered: Promise<StagedRow[]> | null = null;
  const orderedRows = () => (ordered ??= allRows(source, req.rowCount).then(stagingOrder));
  if (!opts.resume && !opts.promote && stageRows !== LEGACY_STAGE_BATCH_ROWS) orderedRows().catch(() => undefined);
  let previous: BeginAnswer['previous'] | null = null;
  let currentStage: UploadStage = 'begin';
  deps.journal.setState(id, { status: 'running', error: null });
  try {
    let progress: ProgressAnswer | null = null;
    if (opts.promote) {
      await timed('promote', () => callRpc(deps.rpc, 'promote_upload', { p_upload_id: id }, 'begin'));
    }
    if (opts.resume || opts.promote) {
      progress = await fetchProgress(deps, id);
    }
    if (!progress) {
      const begun = BeginAnswer.parse(
        await timed('begin', () =>
          callRpc(
            deps.rpc,
            'begin_upload',
            {
              p_upload_id: id,
              p_workspace_id: req.workspaceId,
              p_client_id: req.clientId,
              p_platform: req.platform,
              p_mode: req.mode,
              p_file_name: req.fileName,
              p_file_sha256: req.sha256,
              p_file_bytes: req.bytes,
              p_row_count: req.rowCount,
              p_level: req.level,
              p_currency: req.currency,
            },
            'begin',
          ),
        ),
      );
      previous = begun.previous ?? null;
      deps.journal.setState(id, { serverStatus: begun.status, previous });
      // A pending upload has nothing staged (the first staged batch makes it 'staging' in the same
      // transaction), so there is nothing to ask; any other answer (a begin replayed) is asked.
      progress =
        begun.status === 'pending'
          ? {
              status: 'pending',
              mode: begun.mode,
              row_count: req.rowCount,
              staged_rows: 0,
              staged_batches: [],
              dimensions_done: [],
              fact_batches_done: [],
              fact_batch_count: Math.ceil(req.rowCount / FACT_BATCH_ROWS),
            }
          : ((await fetchProgress(deps, id)) as ProgressAnswer);
    }
    if (progress.status === 'expired') {
      throw new AppError(
        'UPLOAD_EXPIRED',
        'This dry run is older than 24 hours and its staged rows were cleared. Run the dry run again.',
        'begin',
      );
    }
    if (progress.status === 'failed') {
      throw new AppError('SERVER_ERROR', 'The server marked this upload as failed; start a new upload of the file.', 'begin');
    }
    const finished = progress.status === 'completed' || (progress.status === 'staged' && progress.mode === 'FULL_DRY_RUN' && !opts.promote);
    if (!finished) {
      // Stage: every batch the server has not stored.
      currentStage = 'stage';
      const stagedAlready = new Set(progress.staged_batches);
      const meter = new Meter(
        deps,
        { uploadId: id, mode: req.mode, stage: 'stage' },
        req.rowCount,
        opts.onProgress,
        Math.min(req.rowCount, progress.staged_rows),
      );
      if (progress.staged_rows < req.rowCount) {
        if (stageRows === LEGACY_STAGE_BATCH_ROWS) {
          const batchCount = Math.ceil(req.rowCount / stageRows);
          await inWindow(
            range(batchCount).filter((k) => !stagedAlready.has(k)),
            width,
            async (k) => {
              const rows = source.rows(k * stageRows, stageRows);
              StageAnswer.parse(
                await timed(`stage:${k}`, () => callRpc(deps.rpc, 'stage_rows', { p_upload_id: id, p_batch_no: k, p_rows: rows }, 'stage')),
              );
              meter.add(rows.length);
            },
          );
        } else {
          const batches = packBatches(await orderedRows(), { maxBytes: STAGE_BATCH_BYTES, maxRows: stageRows });
          const unsent = (function* () {
            for (const b of batches) if (!stagedAlready.has(b.batchNo)) yield b;
          })();
          await inWindow(unsent, width, async (b) => {
            StageAnswer.parse(
              await timed(`stage:${b.batchNo}`, () =>
                callRpc(deps.rpc, 'stage_batch', { p_upload_id: id, p_batch_no: b.batchNo, p_batch: b.packed }, 'stage'),
              ),
            );
            meter.add(b.rowCount, b.bytes);
          });
        }
      }

      // Dimensions: campaigns, then ad sets, then ads; one transaction each on the server.
      currentStage = 'dimensions';
      const dimsDone = new Set(progress.dimensions_done);
      const dimMeter = new Meter(
        deps,
        { uploadId: id, mode: req.mode, stage: 'dimensions' },
        ENTITY_TYPES.length,
        opts.onProgress,
        dimsDone.size,
      );
      for (const entity of ENTITY_TYPES) {
        if (dimsDone.has(entity)) continue;
        CountsAnswer.parse(
          await timed(`dimensions:${entity}`, () =>
            callRpc(deps.rpc, 'resolve_dimensions', { p_upload_id: id, p_entity_type: entity }, 'dimensions'),
          ),
        );
        dimMeter.add(1);
      }

      // Facts: 1,000 rows per transaction; batches already committed are not sent again.
      currentStage = 'facts';
      const factBatches = Math.ceil(req.rowCount / FACT_BATCH_ROWS);
      const factsDone = new Set(progress.fact_batches_done);
      const rowsOfBatch = (k: number) => Math.min(FACT_BATCH_ROWS, req.rowCount - k * FACT_BATCH_ROWS);
      const doneRows = [...factsDone].reduce((n, k) => n + rowsOfBatch(k), 0);
      const factMeter = new Meter(deps, { uploadId: id, mode: req.mode, stage: 'facts' }, req.rowCount, opts.onProgress, doneRows);
      await inWindow(
        range(factBatches).filter((k) => !factsDone.has(k)),
        width,
        async (k) => {
          CountsAnswer.parse(
            await timed(`facts:${k}`, () => callRpc(deps.rpc, 'write_facts', { p_upload_id: id, p_batch_no: k }, 'facts')),
          );
          factMeter.add(rowsOfBatch(k));
        },
      );
    }
    currentStage = 'finish';
    if (req.columnMapping) await callRpc(deps.rpc, 'note_upload_mapping', { p_upload_id: id, p_mapping: req.columnMapping }, 'finish');
    const fin = FinishAnswer.parse(await timed('finish', () => callRpc(deps.rpc, 'finish_upload', { p_upload_id: id }, 'finish')));
    const plan: Plan = { source: 'server', ...fin.plan };
    deps.journal.setState(id, {
      status: fin.status === 'completed' ? 'completed' : 'staged',
      serverStatus: fin.status,
      plan,
      error: null,
    });
    new Meter(deps, { uploadId: id, mode: req.mode, stage: 'finish' }, 1, opts.onProgress, 1);
    return { uploadId: id, status: fin.status, plan, previous };
  } catch (err) {
    const appErr =
      err instanceof AppError ? err : new AppError('SERVER_ERROR', `Unexpected failure: ${(err as Error).message}`, currentStage);
    const stage = appErr.stage ?? currentStage;
    const resumable = isResumable(appErr.code);
    const shape: AppErrorShape = { code: appErr.code, message: appErr.message, stage };
    if (resumable) {
      deps.journal.setState(id, { status: 'interrupted', error: shape });
    } else {
      deps.journal.setState(id, { status: 'failed', error: shape });
      // Best effort: tell the server, so its row shows the failure too. A refusal at begin has no row.
      if (stage !== 'begin') {
        await callRpc({ ...deps.rpc, retry: { attempts: 2, baseDelayMs: 200, maxDelayMs: 400 }, signal: undefined }, 'fail_upload', {
          p_upload_id: id,
          p_code: appErr.code,
          p_message: appErr.message,
          p_stage: stage,
        }).catch(() => undefined);
      }
    }
    throw new AppError(appErr.code, appErr.message, stage);
  }
}

async function fetchProgress(deps: RunnerDeps, id: string): Promise<ProgressAnswer | null> {
  try {
    return ProgressAnswer.parse(await callRpc(deps.rpc, 'upload_progress', { p_upload_id: id }, 'begin'));
  } catch (err) {
    if (err instanceof AppError && err.code === 'UPLOAD_NOT_FOUND') return null;
    throw err;
  }
}
