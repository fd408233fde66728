import { createHash } from 'node:crypto';
import { normaliseHeader } from '../recognise/aliases.ts';

/**
 * The header signature a confirmed mapping is saved under: the SHA-256 of the header's cells,
 * each normalised exactly as the recognition compares headers (`normaliseHeader`), in order. Two
 * exports of the same report (same columns, other dates) share it; a column added, removed,
 * renamed or moved gives another.
 */
export function headerSignature(headers: readonly string[]): string {
  return createHash('sha256').update(headers.map(normaliseHeader).join('\u001f'), 'utf8').digest('hex');
}
