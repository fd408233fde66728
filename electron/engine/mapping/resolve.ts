import type { Platform } from '../../../shared/canonical.ts';
import { FIELD_INFO, MAPPABLE_FIELDS, type ColumnMapping, type MappableField } from '../../../shared/mapping.ts';
import { normaliseHeader } from '../recognise/aliases.ts';
import { isOtherTimeColumn, tableField, type ConfirmedColumns } from '../recognise/recognise.ts';

export type Resolved =
  { ok: true; columns: ConfirmedColumns; byField: Partial<Record<MappableField, number>> } | { ok: false; message: string };

/**
 * Turns a confirmed mapping (field -> header as written) into the columns of this header, or says
 * why it cannot be applied: a header the file lacks (or has twice), two fields on one column, or a
 * day mapped to a column that holds weeks, months or a reporting period (a mapping never turns
 * totals into days). Headers are matched as the recognition matches them (`normaliseHeader`).
 */
export function resolveMapping(mapping: ColumnMapping, headers: readonly string[]): Resolved {
  const normalised = headers.map(normaliseHeader);
  const columns: ConfirmedColumns = {};
  const byField: Partial<Record<MappableField, number>> = {};
  const taken = new Map<number, MappableField>();
  for (const field of MAPPABLE_FIELDS) {
    const wanted = mapping.fields[field];
    if (wanted === undefined) continue;
    const key = normaliseHeader(wanted);
    const at = normalised.flatMap((h, i) => (h === key && key !== '' ? [i] : []));
    const label = FIELD_INFO[field].label;
    if (at.length === 0) {
      return { ok: false, message: `The file has no column "${wanted}" (mapped to ${label}). Its columns are: ${shownHeaders(headers)}.` };
    }
    if (at.length > 1) {
      return {
        ok: false,
        message: `The file has the column "${wanted}" ${at.length} times, so a mapping by its name cannot tell which one is ${label}.`,
      };
    }
    const index = at[0]!;
    const header = headers[index]!.replace(/^\uFEFF/, '').trim();
    const other = taken.get(index);
    if (other !== undefined) {
      return {
        ok: false,
        message: `"${header}" is mapped to both ${FIELD_INFO[other].label} and ${label}; one column can hold only one of them.`,
      };
    }
    taken.set(index, field);
    if (field === 'date') {
      const refusal = notADay(mapping.platform, key, header);
      if (refusal) return { ok: false, message: refusal };
      // Meta's Reporting starts: the day is read from the reporting period, whose two ends every
      // row must share (the recognition's own rule); mapping it does not skip that check.
      if (tableField(mapping.platform, key)?.field === 'range_start') {
        byField.date = index;
        continue;
      }
    }
    columns[field] = { index, header };
    byField[field] = index;
  }
  return { ok: true, columns, byField };
}

function notADay(platform: Platform, key: string, header: string): string | null {
  if (isOtherTimeColumn(platform, key)) {
    return `"${header}" splits the rows by a longer period than a day, so it cannot be the Day column: a mapping does not turn totals into daily numbers. Export the report split by day.`;
  }
  if (tableField(platform, key)?.field === 'range_end') {
    return `"${header}" is the end of each row's reporting period, not its day. Map Day to the Day column (or to Reporting starts, when every row covers one day).`;
  }
  return null;
}

function shownHeaders(headers: readonly string[]): string {
  const shown = headers.map((h) => h.replace(/^\uFEFF/, '').trim()).filter((h) => h !== '');
  const head = shown
    .slice(0, 30)
    .map((h) => `"${h}"`)
    .join(', ');
  return shown.length > 30 ? `${head}, …` : head;
}
