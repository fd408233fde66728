import { Worker } from 'node:worker_threads';
import type { ValidateReport } from '../../../shared/report.ts';
import type { BatchCursor } from '../validate/row-batch.ts';
import type { RowsListener } from '../validate/index.ts';
import type { RowTable } from '../validate/row-table.ts';
import { hashFileInBackground, type FileHash, type FileHashing } from '../read/hash.ts';
import type { HashAnswer, RecordingAnswer, RecordingMessage, SettleRequest } from './session.ts';
import { FILE_WORTH_A_THREAD_BYTES } from '../threads.ts';
import type { SpareRecordingThread } from './spare.ts';

/** Rows read before the recording thread is started, and then sent to it at a time. */
export const ROWS_PER_RUN = 4096;

export interface BackgroundRecordingOptions {
  /** The compiled `worker.ts` (the command line's dist-cli/record-worker.mjs). */
  worker: URL;
  /** The store's file (the thread opens its own connection to it). */
  storeFile: string;
  validationId: string;
  /** Tests make it small to send many runs; default `ROWS_PER_RUN`. */
  rowsPerRun?: number;
  /** A thread of `worker` started ahead of need, used instead of starting one when it is still there. */
  spare?: SpareRecordingThread | undefined;
}

/**
 * Records a validation's rows on another thread while the file is still being read, so reading
 * and recording 100,000 rows take about the time of the reading alone on two cores. The thread is
 * started once a run of rows has been read, or at once for a file of 1 MiB or more (as
 * `validateExport` tells `fileSized`), so it is ready when the rows come; a file with fewer rows is
 * recorded at the end as before, on the caller's thread. Given to `validateExport` as its rows' listener.
 */
export class BackgroundRecording implements RowsListener {
  readonly rowsPerRun: number;
  private worker: Worker | null = null;
  private answer: Promise<RecordingAnswer> | null = null;
  private hashed: { resolve: (h: FileHash) => void; reject: (err: Error) => void } | null = null;
  private table: RowTable | null = null;
  private cursor: BatchCursor = { rows: 0, entities: 0, days: 0 };
  private ended = false;

  constructor(private readonly options: BackgroundRecordingOptions) {
    this.rowsPerRun = options.rowsPerRun ?? ROWS_PER_RUN;
  }

  /** Whether the thread has rows to record (else the caller records it all, and aborts this). */
  get carriesRows(): boolean {
    return this.worker !== null && this.table !== null;
  }

  /**
   * Hashes the file on the recording thread, when it is running (a large file): one thread fewer
   * beside the reading. Null when it is not; the caller then hashes the file on a thread of its own.
   */
  hashFile(path: string): FileHashing | null {
    if (this.worker === null || this.ended || this.hashed !== null) return null;
    const there = new Promise<FileHash>((resolve, reject) => {
      this.hashed = { resolve, reject };
    });
    this.post({ kind: 'hash', path });
    // A thread that fails leaves the hash to a thread of its own, as the recording is left to this one.
    const wanted = { yes: true, instead: null as FileHashing | null };
    const result = there.catch((err: unknown) => {
      if (!wanted.yes) throw err;
      wanted.instead = hashFileInBackground(path);
      return wanted.instead.result;
    });
    result.catch(() => undefined);
    return {
      result,
      cancel: () => {
        wanted.yes = false;
        this.hashed?.reject(new Error('hashing stopped'));
        wanted.instead?.cancel();
      },
    };
  }

  /** A file of 1 MiB or more gets its thread at once, before any row is read: it is ready when the first rows are. */
  fileSized(bytes: number): void {
    if (bytes >= FILE_WORTH_A_THREAD_BYTES && this.worker === null && !this.ended) this.start();
  }

  opened(table: RowTable): void {
    this.table = table;
    this.cursor = { rows: 0, entities: 0, days: 0 };
    if (this.worker !== null) this.post({ kind: 'table', currency: table.currency });
  }

  filled(table: RowTable): void {
    if (this.ended || table !== this.table) return;
    if (this.worker === null) {
      this.start();
      this.post({ kind: 'table', currency: table.currency });
    }
    this.sendRows();
  }

  /**
   * Sends the last rows, then settles the mapping and records the validation there, in the thread's
   * one transaction; resolves with the report's `mapped` as settled, or rejects (nothing recorded).
   */
  async commit(validation: { id: string; at: Date; filePath: string; report: ValidateReport }, settle: SettleRequest) {
    if (!this.carriesRows || this.answer === null || this.ended) throw new Error('the recording thread has no rows to record');
    this.sendRows();
    this.ended = true;
    this.post({ kind: 'commit', validation: { ...validation, at: validation.at.toISOString() }, settle });
    const answer = await this.answer;
    if (answer.kind !== 'committed') throw new Error(answer.kind === 'failed' ? answer.message : 'the validation was not recorded');
    return answer.mapped;
  }

  /** Records nothing: the thread rolls back what it was given and ends. */
  abort(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.worker === null) return;
    this.post({ kind: 'rollback' });
    this.worker.unref();
  }

  private start(): void {
    const { worker, storeFile, validationId } = this.options;
    const w = this.options.spare?.take() ?? new Worker(worker);
    this.worker = w;
    this.answer = new Promise<RecordingAnswer>((resolve, reject) => {
      w.on('message', (m: RecordingAnswer | HashAnswer) => {
        if (m.kind === 'hashed') this.hashed?.resolve({ sha256: m.sha256, bytes: m.bytes });
        else if (m.kind === 'hash failed') this.hashed?.reject(new Error(m.message));
        else resolve(m);
      });
      const stopped = (err: Error) => {
        this.hashed?.reject(err);
        reject(err);
      };
      w.once('error', stopped);
      w.once('exit', (code) => stopped(new Error(`the recording thread stopped (exit code ${code})`)));
    });
    this.answer.catch(() => undefined);
    this.post({ kind: 'open', file: storeFile, validationId });
  }

  private sendRows(): void {
    const table = this.table;
    if (table === null || this.cursor.rows === table.length) return;
    // The batch's arrays are the table's, in shared memory: posting them shares them, no row is copied.
    this.post({ kind: 'rows', batch: table.batch(this.cursor) });
  }

  private post(m: RecordingMessage): void {
    this.worker!.postMessage(m);
  }
}
