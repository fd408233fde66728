import type { Entity } from './entities.ts';
import type { RowTable } from './row-table.ts';

/**
 * Finds a valid row of the same day and the same finest entity (DUPLICATE_ROW). Exports come sorted
 * by day (ascending or descending) within each entity, so a row's day is nearly always outside the
 * range of days its entity already has, which needs no lookup at all. Only a day inside that range
 * is looked up, in an index of (entity, day) -> row built from the row table the first time it is
 * needed and kept up to date from then on.
 */
export class DuplicateDays {
  private index: Map<Entity, Map<string, number>> | null = null;

  constructor(private readonly table: RowTable) {}

  /** The valid row that already has this entity and day, if any. */
  earlier(entity: Entity, day: string): number | undefined {
    if (entity.lastDay === '' || day > entity.lastDay || day < entity.firstDay) return undefined;
    if (this.index === null) {
      this.index = new Map();
      this.table.forEachRow((e, d, row) => this.put(e, d, row));
    }
    return this.index.get(entity)?.get(day);
  }

  /** Records a valid row (call before it is pushed to the table; `earlier` said it has no match). */
  add(entity: Entity, day: string, row: number): void {
    if (entity.lastDay === '') entity.firstDay = entity.lastDay = day;
    else if (day > entity.lastDay) entity.lastDay = day;
    else if (day < entity.firstDay) entity.firstDay = day;
    if (this.index !== null) this.put(entity, day, row);
  }

  private put(entity: Entity, day: string, row: number): void {
    let days = this.index!.get(entity);
    if (days === undefined) this.index!.set(entity, (days = new Map()));
    days.set(day, row);
  }
}
