import type { ValidateReport } from '../../../shared/report.ts';
import { createMappingApi } from '../mapping/api.ts';
import type { Store } from '../store/open.ts';
import { discardValidatedRows, insertValidation, validatedRowInserter } from '../store/validations.ts';
import type { ReadFacts } from '../validate/index.ts';
import { RowBatchReader, type RowBatch } from '../validate/row-batch.ts';
import type { RowValuesCallback } from '../validate/row-table.ts';

/** What the reading thread tells the recording one, in order. */
export type RecordingMessage =
  /** A new pass over the file: its rows replace any given before; `currency` is each row's. */
  | { kind: 'table'; currency: string | null }
  | { kind: 'rows'; batch: RowBatch }
  /** The file is read and accepted: settle its mapping and record it with the rows given. */
  | { kind: 'commit'; validation: { id: string; at: string; filePath: string; report: ValidateReport }; settle: SettleRequest }
  /** Record nothing (the file was refused, or reading it failed). */
  | { kind: 'rollback' };

/** `mappings.settle`'s arguments, and the time it dates a saved mapping. */
export interface SettleRequest {
  facts: ReadFacts;
  save: boolean;
  now: string;
}

/** The answer to `commit` or `rollback`; `mapped` is the report's as settled (absent: none). */
export type RecordingAnswer =
  { kind: 'committed'; mapped: ValidateReport['mapped'] } | { kind: 'rolled back' } | { kind: 'failed'; message: string };

/**
 * One validation recorded while its file is still being read, on a connection of its own (a worker
 * thread's: `worker.ts`): the rows go into `validated_rows` as they come, and at `commit` the
 * mapping is settled and the validation, its issues and its audit event are written, all in one
 * transaction. Nothing is visible before the commit, and nothing is left after a rollback, a
 * failure or a crash (the transaction simply never commits). The SQL and the rules are the store's
 * and the mapping API's, the same the engine uses when it records on its own thread.
 */
export class RecordingSession {
  private reader: RowBatchReader | null = null;
  private insertRow: RowValuesCallback | null = null;
  private failure: string | null = null;

  constructor(
    private readonly db: Store,
    private readonly validationId: string,
  ) {}

  /** Handles one message; `commit` and `rollback` are answered, and are the last. */
  handle(m: RecordingMessage): RecordingAnswer | null {
    if (m.kind === 'rollback') {
      if (this.db.inTransaction) this.db.exec('rollback');
      return { kind: 'rolled back' };
    }
    if (this.failure !== null) return m.kind === 'commit' ? { kind: 'failed', message: this.failure } : null;
    try {
      return this.apply(m);
    } catch (err) {
      this.failure = err instanceof Error ? err.message : String(err);
      if (this.db.inTransaction) this.db.exec('rollback');
      return m.kind === 'commit' ? { kind: 'failed', message: this.failure } : null;
    }
  }

  private apply(m: Exclude<RecordingMessage, { kind: 'rollback' }>): RecordingAnswer | null {
    switch (m.kind) {
      case 'table':
        if (this.insertRow === null) {
          // Taken now, so the rows need not wait at the end; deferred, since the validation they
          // reference is written last.
          this.db.exec('begin immediate');
          this.db.pragma('defer_foreign_keys = on');
          this.insertRow = validatedRowInserter(this.db, this.validationId);
        } else discardValidatedRows(this.db, this.validationId);
        this.reader = new RowBatchReader(m.currency);
        return null;
      case 'rows':
        if (this.reader === null || this.insertRow === null) throw new Error('rows came before their table');
        this.reader.forEachValues(m.batch, this.insertRow);
        return null;
      case 'commit': {
        if (this.insertRow === null) throw new Error('commit came before any table');
        const v = m.validation;
        const mappings = createMappingApi({ db: this.db, clock: { now: () => new Date(m.settle.now) } });
        mappings.settle(v.report, m.settle.facts, m.settle.save);
        insertValidation(this.db, { id: v.id, at: new Date(v.at), filePath: v.filePath, report: v.report });
        this.db.exec('commit');
        return { kind: 'committed', mapped: v.report.mapped };
      }
    }
  }
}
