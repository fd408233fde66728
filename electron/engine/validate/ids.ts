/**
 * External IDs stay text. Meta and TikTok IDs have 18-19 digits, beyond what a float holds, and a
 * CSV opened and saved in Excel comes back with them rounded: `1.20216E+17`, or 15 significant
 * digits followed by zeros. Such a column cannot identify anything, so it is not used as IDs.
 */
const SCIENTIFIC = /^\d(?:[.,]\d+)?e\+?\d+$/i;

export function isScientificNotation(cell: string): boolean {
  return SCIENTIFIC.test(cell.trim());
}

export class IdColumnWatch {
  firstDamagedRow: number | null = null;
  firstDamagedValue: string | null = null;
  private scientific = 0;
  private readonly zeroTails = new Set<string>();
  private otherLong = false;

  observe(cell: string, row: number): void {
    if (cell.length < 5) return;
    if (cell.length < 16 ? (cell.includes('E') || cell.includes('e')) && isScientificNotation(cell) : false) {
      this.scientific++;
      this.note(cell, row);
      return;
    }
    if (cell.length >= 16 && !this.otherLong && /^\d+$/.test(cell)) {
      if (/^0+$/.test(cell.slice(15))) {
        if (this.zeroTails.size < 8) this.zeroTails.add(cell);
        this.note(cell, row);
      } else {
        this.otherLong = true;
      }
    }
  }

  private note(cell: string, row: number): void {
    if (this.firstDamagedRow === null) {
      this.firstDamagedRow = row;
      this.firstDamagedValue = cell.trim();
    }
  }

  /** Any ID in scientific notation, or several long IDs and every one of them ending in zeros. */
  damaged(): boolean {
    return this.scientific > 0 || (this.zeroTails.size >= 2 && !this.otherLong);
  }
}
