import { createHash } from 'node:crypto';
import { NAME_KEY_HEX_DIGITS, NAME_KEY_PREFIX } from '../../../shared/name-key.ts';

/**
 * External IDs stay text. Meta and TikTok IDs have 18-19 digits, beyond what a float holds, and a
 * CSV opened and saved in Excel comes back with them rounded: `1.20216E+17`, or 15 significant
 * digits followed by zeros. Such a column cannot identify anything, so it is not used as IDs.
 */
const SCIENTIFIC = /^\d(?:[.,]\d+)?e\+?\d+$/i;

export function isScientificNotation(cell: string): boolean {
  return SCIENTIFIC.test(cell.trim());
}

interface Sighting {
  row: number;
  value: string;
}

export class IdColumnWatch {
  private firstScientific: Sighting | null = null;
  private firstZeroTail: Sighting | null = null;
  private readonly zeroTails = new Set<string>();
  private otherLong = false;

  observe(cell: string, row: number): void {
    const n = cell.length;
    if (n < 5) return;
    if (n < 16) {
      if ((cell.includes('E') || cell.includes('e')) && isScientificNotation(cell)) this.firstScientific ??= { row, value: cell.trim() };
      return;
    }
    if (this.otherLong || !/^\d+$/.test(cell)) return;
    if (/^0+$/.test(cell.slice(15))) {
      if (this.zeroTails.size < 8) this.zeroTails.add(cell);
      this.firstZeroTail ??= { row, value: cell };
    } else {
      this.otherLong = true;
    }
  }

  /** Any ID in scientific notation, or several long IDs and every one of them ending in zeros. */
  damaged(): boolean {
    return this.firstScientific !== null || (this.zeroTails.size >= 2 && !this.otherLong);
  }

  /** Where the damage shows first (for the warning). */
  get firstDamagedRow(): number | null {
    return (this.firstScientific ?? this.firstZeroTail)?.row ?? null;
  }

  get firstDamagedValue(): string | null {
    return (this.firstScientific ?? this.firstZeroTail)?.value ?? null;
  }
}

/**
 * The external id of an entity matched by name (shared/name-key.ts): the same name under the same
 * parent always gives the same key, here and on the server.
 */
export function nameKey(parentExternalId: string | null, name: string): string {
  const hash = createHash('sha256')
    .update(parentExternalId ?? '', 'utf8')
    .update(ZERO_BYTE)
    .update(name, 'utf8')
    .digest('hex');
  return NAME_KEY_PREFIX + hash.slice(0, NAME_KEY_HEX_DIGITS);
}
const ZERO_BYTE = Buffer.from([0]);
