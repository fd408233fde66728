import { CANONICAL_LIMITS, characterCount, type Level } from '../../../shared/canonical.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import type { Field } from '../recognise/aliases.ts';
import type { CanonicalGate } from './canonical-gate.ts';
import { isNameKey } from '../../../shared/name-key.ts';
import { nameKey } from './ids.ts';
import { LEVEL_FIELDS, levelPlural } from './levels.ts';
import { detach, shorten, trim } from './text.ts';

// The canonical row's limits (shared/canonical.ts), checked here first to say which cell is too long.
const MAX_ID = CANONICAL_LIMITS.externalIdChars;
const MAX_NAME = CANONICAL_LIMITS.nameChars;
const NONE = -1;
const singular = (level: Level, metaNames: boolean) => levelPlural(level, metaNames).replace(/s$/, '');
/** `Entity.row` of a row's entity whose ID is known with another name or parent. */
const CONFLICT = -1;

/** Everything about one entity level the hot path needs, in one monomorphic object. */
export interface LevelInfo {
  level: Level;
  nameField: Field;
  idField: Field;
  nameCol: number;
  idCol: number;
  idIsKey: boolean;
  finest: boolean;
  idKey: 'campaign_external_id' | 'ad_set_external_id' | 'ad_external_id';
  nameKey: 'campaign_name' | 'ad_set_name' | 'ad_name';
  known: Map<string, Entity>;
  last: Entity | null;
}

export interface Entity {
  /** Its external id: the platform's ID, or for an entity matched by name the key derived from its name. */
  id: string;
  /** What finds it among the file's entities: its ID, or its parent's external id and its name. */
  key: string;
  name: string;
  parent: Entity | null;
  /** The first valid row that named it; 0 while new (not registered yet), -1 for a conflicting sighting. */
  row: number;
  /** The earliest and latest day of its valid rows ('' before the first), to find duplicate rows. */
  firstDay: string;
  lastDay: string;
  /** Its number in the row table `slotIn` (null until a row of it is kept there). */
  slot: number;
  slotIn: object | null;
  /** The entity of this level that came on the row after this one's last time (a guess for the next lookup). */
  next: Entity | null;
}

export interface EntityContext {
  levels: readonly Level[];
  finest: Level;
  idIsKey: Record<Level, boolean>;
  col: Record<Field, number>;
  label: Record<Field, string>;
  /** Meta says "ad sets", the others "ad groups". */
  metaNames: boolean;
  gate: CanonicalGate;
  /** Reports a problem of the current row. */
  error(field: Field | null, message: string, code?: ErrorCode): void;
}

/**
 * The campaigns, ad sets and ads of a file by external ID (or by name where the export has no usable
 * ID): finds a row's entities, reports one ID with two names or two parents (CONFLICTING_DIMENSION),
 * and keeps, per finest entity, the day of each row to find duplicate rows.
 */
export class EntityRegistry {
  private readonly known: Record<Level, Map<string, Entity>> = { campaign: new Map(), ad_set: new Map(), ad: new Map() };
  readonly info: Record<Level, LevelInfo>;
  /** The spreadsheet row being mapped (for new entities and messages). */
  row = 0;

  constructor(private readonly ctx: EntityContext) {
    const info = (level: Level): LevelInfo => {
      const { name, id } = LEVEL_FIELDS[level];
      return {
        level,
        nameField: name,
        idField: id,
        nameCol: ctx.col[name],
        idCol: ctx.col[id],
        idIsKey: ctx.idIsKey[level],
        finest: level === ctx.finest,
        idKey: level === 'campaign' ? 'campaign_external_id' : level === 'ad_set' ? 'ad_set_external_id' : 'ad_external_id',
        nameKey: level === 'campaign' ? 'campaign_name' : level === 'ad_set' ? 'ad_set_name' : 'ad_name',
        known: this.known[level],
        last: null,
      };
    };
    this.info = { campaign: info('campaign'), ad_set: info('ad_set'), ad: info('ad') };
  }

  size(level: Level): number {
    return this.known[level].size;
  }

  /**
   * The level's entity for this row: an existing one, a new one (not yet registered), or null.
   * Matched by name, an ad set or ad is found by its parent and its name (see shared/name-key.ts).
   */
  entity(L: LevelInfo, fields: readonly string[], parent: Entity | null): Entity | null {
    const idCell = L.idCol === NONE ? '' : trim(fields[L.idCol] ?? '');
    const name = L.nameCol === NONE ? idCell : trim(fields[L.nameCol] ?? '');
    const key = L.idIsKey ? idCell : parent === null ? name : `${parent.id}\u0000${name}`;
    // Rows come grouped by campaign and ad set: the entity of the row before is the likeliest, then
    // the one that followed it last time (rows of each day in the same order).
    const last = L.last;
    let known: Entity | undefined;
    if (last !== null && last.key === key) known = last;
    else {
      const guess = last === null ? null : last.next;
      known = guess !== null && guess.key === key ? guess : L.known.get(key);
      if (known !== undefined && last !== null) last.next = known;
    }
    if (known !== undefined) {
      L.last = known;
      // Same ID, other name or parent: reported by checkEntities once the row is otherwise valid.
      return known.name === name && known.parent === parent
        ? known
        : { id: known.id, key, name, parent, row: CONFLICT, firstDay: '', lastDay: '', slot: -1, slotIn: null, next: null };
    }
    return this.newEntity(L, key, idCell, name, parent);
  }

  private newEntity(L: LevelInfo, key: string, idCell: string, name: string, parent: Entity | null): Entity | null {
    const { nameField, idField } = L;
    const shownName = L.nameCol === NONE ? idField : nameField;
    if (name === '') {
      this.ctx.error(shownName, `${this.ctx.label[shownName]} is empty; every row needs it. Fill in the cell or remove the row.`);
      return null;
    }
    if (L.idIsKey && idCell === '') {
      this.ctx.error(idField, `${this.ctx.label[idField]} is empty; every row needs it. Fill in the cell or remove the row.`);
      return null;
    }
    if (name.length > MAX_NAME && characterCount(name) > MAX_NAME) {
      this.ctx.error(
        nameField,
        `${this.ctx.label[nameField]} is longer than ${MAX_NAME} characters, more than the database keeps. Shorten the name and export the file again.`,
      );
      return null;
    }
    if (L.idIsKey && !this.usableId(L, idCell)) return null;
    const nameProblem = this.ctx.gate.fieldProblem(L.nameKey, name);
    if (nameProblem !== null) {
      this.ctx.error(
        nameField,
        `${this.ctx.label[nameField]} "${shorten(name)}" cannot be stored (it must be ${nameProblem}). Correct the cell or export the file again.`,
      );
      return null;
    }
    // Matched by name: the key derived from the name, never the name itself (names are longer than IDs).
    const id = L.idIsKey ? detach(idCell) : nameKey(parent === null ? null : parent.id, name);
    return {
      id,
      key: L.idIsKey ? id : detach(key),
      name: detach(name),
      parent,
      row: 0,
      firstDay: '',
      lastDay: '',
      slot: -1,
      slotIn: null,
      next: null,
    };
  }

  /** An ID cell that can be stored as the entity's external id; else the row's error says why not. */
  private usableId(L: LevelInfo, idCell: string): boolean {
    const label = this.ctx.label[L.idField];
    if (idCell.length > MAX_ID && characterCount(idCell) > MAX_ID) {
      this.ctx.error(
        L.idField,
        `${label} is longer than ${MAX_ID} characters, which no platform's IDs are. Check that the column holds the IDs as exported, or export the file again.`,
      );
      return false;
    }
    if (isNameKey(idCell)) {
      this.ctx.error(
        L.idField,
        `${label} "${shorten(idCell)}" is not an ID any platform writes. Check that the column holds the IDs as exported, or export the file again.`,
      );
      return false;
    }
    const idProblem = this.ctx.gate.fieldProblem(L.idKey, idCell);
    if (idProblem !== null) {
      this.ctx.error(
        L.idField,
        `${label} "${shorten(idCell)}" cannot be stored (it must be ${idProblem}). Correct the cell or export the file again.`,
      );
      return false;
    }
    return true;
  }

  /** One external ID with two names or two parents in one file: CONFLICTING_DIMENSION. */
  checkEntities(campaign: Entity, adSet: Entity | null, ad: Entity | null): void {
    if (campaign.row === CONFLICT) this.conflict('campaign', campaign);
    if (adSet !== null && adSet.row === CONFLICT) this.conflict('ad_set', adSet);
    if (ad !== null && ad.row === CONFLICT) this.conflict('ad', ad);
  }

  private conflict(level: Level, e: Entity): void {
    const known = this.known[level].get(e.key)!;
    const { name: nameField, id: idField } = LEVEL_FIELDS[level];
    if (known.name !== e.name) {
      this.ctx.error(
        nameField,
        `${this.ctx.label[idField]} ${e.id} is named "${shorten(known.name)}" on row ${known.row} and "${shorten(e.name)}" here; one ID can have only one name. Correct one of the rows or export the file again.`,
        'CONFLICTING_DIMENSION',
      );
    }
    // Only an entity with an ID can meet two parents: matched by name, the parent is part of its key.
    if (known.parent?.id !== e.parent?.id) {
      const parentLevel: Level = level === 'ad' ? 'ad_set' : 'campaign';
      this.ctx.error(
        idField,
        `${this.ctx.label[idField]} ${e.id} belongs to ${this.shown(parentLevel, known.parent)} on row ${known.row} but to ${this.shown(parentLevel, e.parent)} here; one ${singular(level, this.ctx.metaNames)} cannot have two parents (two ${levelPlural(parentLevel, this.ctx.metaNames)}). Correct one of the rows or export the file again.`,
        'CONFLICTING_DIMENSION',
      );
    }
  }

  /** An entity as a message names it: by its ID, or by its name when it is matched by name. */
  private shown(level: Level, e: Entity | null): string {
    if (e === null) return 'nothing';
    const { name, id } = LEVEL_FIELDS[level];
    return this.ctx.idIsKey[level] ? `${this.ctx.label[id]} ${e.id}` : `${this.ctx.label[name]} "${shorten(e.name)}"`;
  }

  register(campaign: Entity, adSet: Entity | null, ad: Entity | null, row: number): void {
    if (campaign.row === 0) this.add('campaign', campaign, row);
    if (adSet !== null && adSet.row === 0) this.add('ad_set', adSet, row);
    if (ad !== null && ad.row === 0) this.add('ad', ad, row);
  }

  private add(level: Level, e: Entity, row: number): void {
    e.row = row;
    this.known[level].set(e.key, e);
  }
}
