import type { ValidateReport } from '../../../shared/report.ts';
import type { Store } from '../store/open.ts';
import { ValidatedRowWriter } from '../store/validated-rows.ts';
import type { ReadFacts } from '../validate/index.ts';
import type { RowBatch } from '../validate/row-batch.ts';

/** The file is read and accepted: settle its mapping and record it with the rows given. */
export interface CommitMessage {
  kind: 'commit';
  validation: { id: string; at: string; filePath: string; report: ValidateReport };
  settle: SettleRequest;
}

/** What the reading thread tells the recording one, in order. */
export type RecordingMessage =
  /** First: the store's file and the validation to record (the thread may have been started before either was known). */
  | { kind: 'open'; file: string; validationId: string }
  /** A new pass over the file: its rows replace any given before; `currency` is each row's. */
  | { kind: 'table'; currency: string | null }
  | { kind: 'rows'; batch: RowBatch }
  | CommitMessage
  /** Record nothing (the file was refused, or reading it failed). */
  | { kind: 'rollback' }
  /** Hash the file meanwhile (answered by a `HashAnswer`), so no thread of its own is started for it. */
  | { kind: 'hash'; path: string };

/** The file's SHA-256 and size as this thread read it, or why it could not. */
export type HashAnswer = { kind: 'hashed'; sha256: string; bytes: number } | { kind: 'hash failed'; message: string };

/** `mappings.settle`'s arguments, and the time it dates a saved mapping. */
export interface SettleRequest {
  facts: ReadFacts;
  save: boolean;
  now: string;
}

/** The answer to `commit` or `rollback`; `mapped` is the report's as settled (absent: none). */
export type RecordingAnswer =
  { kind: 'committed'; mapped: ValidateReport['mapped'] } | { kind: 'rolled back' } | { kind: 'failed'; message: string };

/** Writes the validation itself at the end of its transaction (`finish.ts`), answering its settled `mapped`. */
export type FinishValidation = (db: Store, m: CommitMessage) => ValidateReport['mapped'];

/**
 * One validation recorded while its file is still being read, on a connection of its own (a worker
 * thread's: `worker.ts`): the rows go into the store (`ValidatedRowWriter`) as they come, and at `commit` the
 * mapping is settled and the validation, its issues and its audit event are written, all in one
 * transaction. Nothing is visible before the commit, and nothing is left after a rollback, a
 * failure or a crash (the transaction simply never commits). The SQL and the rules are the store's
 * and the mapping API's, the same the engine uses when it records on its own thread.
 */
export class RecordingSession {
  private writer: ValidatedRowWriter | null = null;
  /** The currency of the table being recorded: every row's. */
  private currency: string | null = null;
  private failure: string | null = null;

  constructor(
    private readonly db: Store,
    private readonly validationId: string,
  ) {}

  /** A new table, or a batch of its rows (nothing is answered). */
  take(m: Extract<RecordingMessage, { kind: 'table' | 'rows' }>): void {
    if (this.failure !== null) return;
    this.guard(() => {
      if (m.kind === 'table') this.openTable(m.currency);
      else {
        if (this.writer === null) throw new Error('rows came before their table');
        this.writer.write(m.batch, this.currency);
      }
    });
  }

  commit(m: CommitMessage, finish: FinishValidation): RecordingAnswer {
    if (this.failure === null && this.writer === null) this.failure = 'commit came before any table';
    if (this.failure !== null) return { kind: 'failed', message: this.failure };
    let mapped: ValidateReport['mapped'];
    this.guard(() => {
      mapped = finish(this.db, m);
      this.db.exec('commit');
    });
    return this.failure === null ? { kind: 'committed', mapped } : { kind: 'failed', message: this.failure };
  }

  rollback(): RecordingAnswer {
    if (this.db.inTransaction) this.db.exec('rollback');
    return { kind: 'rolled back' };
  }

  private openTable(currency: string | null): void {
    if (this.writer === null) {
      // Taken now, so the rows need not wait until the end. Foreign keys are off on this connection
      // (the thread's own, closed with the recording): every reference is the writer's own (its row
      // set, then each entity before the rows of it), and the validation they hang from is written
      // last. With the checks deferred, that one reference outstanding made SQLite search the rows
      // recorded so far for each new entity: a 100,000-row export sorted by ad took 6 s to record,
      // not 1 s. Tests check the references of what is recorded (PRAGMA foreign_key_check).
      this.db.pragma('foreign_keys = off');
      this.db.exec('begin immediate');
      this.writer = new ValidatedRowWriter(this.db, this.validationId);
    } else this.writer.discard();
    this.currency = currency;
  }

  private guard(step: () => void): void {
    try {
      step();
    } catch (err) {
      this.failure = err instanceof Error ? err.message : String(err);
      if (this.db.inTransaction) this.db.exec('rollback');
    }
  }
}
