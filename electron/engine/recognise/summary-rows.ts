import type { ColumnRef } from './recognise.ts';

/**
 * Summary and total rows the platforms add: Meta's summary row (blank names and IDs), Meta's `All`
 * subtotal rows, Google's `Total: Account` / `Totaal: …` rows and TikTok's `Total of 3 ads`. They
 * are skipped and counted, never summed. Rules: ../shared/spec/platform-exports.md §1c, §2c, §3c.
 */
export interface EntityColumns {
  /** One entry per entity level the file has (campaign, ad set, ad). */
  levels: readonly { name: ColumnRef | undefined; id: ColumnRef | undefined }[];
  /** The column holding the date, if any: a `Label: …` cell there is a total row. */
  dateIndex: number | null;
}

const TOTAL_WORD = /^(?:total|totals|totaal|gesamt|insgesamt|summe|totale|totales|jumlah|합계|총계)(?![\p{L}\p{N}])/iu;
/** A localised "Total" followed by a colon and a space (`Totaal: Account`), per Google's rule. */
const LABEL_COLON = /^\s*[^,:]{2,20}:\s/u;

export function isSummaryRow(fields: readonly string[], cols: EntityColumns): boolean {
  let allBlank = true;
  let idsBlank = true;
  for (const { name, id } of cols.levels) {
    const idBlank = id === undefined || isBlank(fields[id.index]);
    if (!idBlank) idsBlank = allBlank = false;
    if (name !== undefined && !isBlank(fields[name.index])) {
      allBlank = false;
      // `All` in a name cell with no ID beside it: a subtotal block row.
      if (idBlank && fields[name.index]!.trim().toLowerCase() === 'all') return true;
    }
  }
  if (allBlank) return true;
  if (!idsBlank) return false;
  const first = (fields[0] ?? '').trim();
  if (TOTAL_WORD.test(first)) return true;
  return cols.dateIndex === 0 && LABEL_COLON.test(first);
}

function isBlank(v: string | undefined): boolean {
  return v === undefined || v.length === 0 || (v.charCodeAt(0) <= 32 && v.trim() === '');
}
