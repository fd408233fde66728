import type { Entity } from '../../electron/engine/validate/entities.ts';

/** An entity as the registry makes it for a file's first rows: keyed by its id, not yet in a row table. */
export function testEntity(id: string, name: string, parent: Entity | null = null): Entity {
  return { id, key: id, name, parent, row: 2, firstDay: '', lastDay: '', slot: -1, slotIn: null, next: null };
}
