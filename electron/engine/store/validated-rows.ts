import type Database from 'better-sqlite3';
import type { BatchCursor, EntityChain, RowBatch } from '../validate/row-batch.ts';
import { RowBatchReader, SCALE_BITS, emptyRowFact, setFactMetrics, type RowFact } from '../validate/row-batch.ts';
import type { ValidatedRow } from '../validate/row-table.ts';

// Kept apart from validations.ts (and its zod schemas) so the recording thread starts quickly.

/**
 * A fact's columns (local store 007): each metric as its digits, their five decimal scales packed
 * in `scales`, and `long`, the texts of metrics of more than 15 digits (see `RowFact`).
 */
const FACT_COLUMNS = `row_set, row_number, date, entity, impressions, clicks, spend, conversions, conversion_value, scales, long, currency`;
const FACT_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
/**
 * A batch's row in a many-row insert: the row set and the currency are every row's, so they are bound
 * once per statement (by name), not once per row: recording 100,000 rows takes about 8% less time.
 */
const BATCH_FACT_VALUES = '(@rowSet, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, @currency)';
/**
 * Rows one insert statement takes from a batch: a call per row into SQLite costs more than the row
 * itself, and 32 at a time record 100,000 rows in about 60% of the time (320 parameters, far below
 * SQLite's limit).
 */
const FACTS_PER_INSERT = 32;
/** The values a batch's row binds of its own (all but the row set and the currency). */
const BATCH_FACT_FIELDS = 10;

/** The SQL of metric `metric`'s decimal scale in a fact of `alias` (its bits of `scales`; see `RowFact`). */
export function factScaleSql(alias: string, metric: number): string {
  return `((${alias}.scales >> ${SCALE_BITS * metric}) & ${(1 << SCALE_BITS) - 1})`;
}

/** A fact's values after its row set, in `FACT_COLUMNS` order up to the currency, into `out` from `at`; returns the index after them. */
function factValues(f: RowFact, out: unknown[], at: number): number {
  let p = at;
  out[p++] = f.rowNumber;
  out[p++] = f.date;
  out[p++] = f.entity;
  for (const d of f.digits) out[p++] = d;
  out[p++] = f.scales;
  out[p++] = f.long === null ? null : JSON.stringify(f.long);
  return p;
}

/** A validation's valid rows as compact batches, in order (a `RowTable` is one). */
export interface RowBatchSource {
  readonly currency: string | null;
  batch(cursor: BatchCursor): RowBatch;
}

/**
 * Writes a validation's valid rows (in the caller's transaction) into `validated_facts`, each
 * distinct entity chain once into `validated_entities` (migration 006); the view `validated_rows`
 * gives them back as columns. Rows may come before their validation (`insertValidation`) where
 * foreign keys are deferred. `discard` forgets the rows written so far, for a new pass over the file.
 */
export class ValidatedRowWriter {
  private readonly insertSet: Database.Statement;
  private readonly insertEntity: Database.Statement;
  private readonly insertFact: Database.Statement;
  private readonly insertFacts: Database.Statement;
  /** The parameters of the next `insertFacts`, filled row by row. */
  private readonly pending = new Array<unknown>(FACTS_PER_INSERT * BATCH_FACT_FIELDS);
  private rowSet = -1;
  private entities = 0;
  private reader: RowBatchReader;

  constructor(
    private readonly db: Database.Database,
    private readonly validationId: string,
  ) {
    this.insertSet = db.prepare('insert into validation_row_sets (validation_id) values (?)');
    this.insertEntity = db.prepare(
      `insert into validated_entities (row_set, number, campaign_external_id, campaign_name, ad_set_external_id, ad_set_name,
         ad_external_id, ad_name) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertFact = db.prepare(`insert into validated_facts (${FACT_COLUMNS}) values ${FACT_VALUES}`);
    this.insertFacts = db.prepare(
      `insert into validated_facts (${FACT_COLUMNS}) values ${Array<string>(FACTS_PER_INSERT).fill(BATCH_FACT_VALUES).join(', ')}`,
    );
    this.reader = new RowBatchReader();
  }

  /** The next batch of the table's rows (each row's currency is the table's): its new entities, then its rows. */
  write(batch: RowBatch, currency: string | null): void {
    if (batch.to === batch.from && batch.entities.length === 0) return;
    const set = this.open();
    for (const chain of batch.entities) this.insertEntity.run(set, this.entities++, ...chain);
    const pending = this.pending;
    const shared = { rowSet: set, currency };
    let p = 0;
    this.reader.forEachFact(batch, (f) => {
      p = factValues(f, pending, p);
      if (p === pending.length) {
        this.insertFacts.run(pending, shared);
        p = 0;
      }
    });
    // The batch's last rows, fewer than one insert takes.
    for (let i = 0; i < p; i += BATCH_FACT_FIELDS) this.insertFact.run(set, ...pending.slice(i, i + BATCH_FACT_FIELDS), currency);
  }

  /** All of a table's rows, batch by batch. */
  writeAll(source: RowBatchSource): void {
    this.write(source.batch({ rows: 0, entities: 0, days: 0 }), source.currency);
  }

  /** Rows given one by one (each with its own currency), their entity chains numbered as they come. */
  writeRows(rows: Iterable<ValidatedRow>): void {
    const numbers = new Map<string, number>();
    const fact = emptyRowFact();
    for (const { rowNumber, row: c } of rows) {
      const set = this.open();
      const chain: EntityChain = [
        c.campaign_external_id,
        c.campaign_name,
        c.ad_set_external_id ?? null,
        c.ad_set_name ?? null,
        c.ad_external_id ?? null,
        c.ad_name ?? null,
      ];
      const key = JSON.stringify(chain);
      let entity = numbers.get(key);
      if (entity === undefined) {
        entity = this.entities++;
        numbers.set(key, entity);
        this.insertEntity.run(set, entity, ...chain);
      }
      fact.rowNumber = rowNumber;
      fact.date = c.date;
      fact.entity = entity;
      setFactMetrics(fact, [c.impressions, c.clicks, c.spend, c.conversions, c.conversion_value]);
      const values = new Array<unknown>(BATCH_FACT_FIELDS);
      factValues(fact, values, 0);
      this.insertFact.run(set, ...values, c.currency ?? null);
    }
  }

  /** Forgets the rows written so far (a new pass over the file replaces them). */
  discard(): void {
    if (this.rowSet !== -1) {
      this.db.prepare('delete from validated_facts where row_set = ?').run(this.rowSet);
      this.db.prepare('delete from validated_entities where row_set = ?').run(this.rowSet);
    }
    this.entities = 0;
    this.reader = new RowBatchReader();
  }

  private open(): number {
    if (this.rowSet === -1) this.rowSet = Number(this.insertSet.run(this.validationId).lastInsertRowid);
    return this.rowSet;
  }
}
