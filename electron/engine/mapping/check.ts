import { FIELD_INFO, type MappableField } from '../../../shared/mapping.ts';
import { ColumnShapes, quoted } from './values.ts';

/** Data rows whose cells are looked at before a confirmed mapping is trusted. */
export const CHECK_ROWS = 50;

/**
 * Checks a confirmed mapping against the first rows' values: a metric mapped to a column of text,
 * a day mapped to a column without dates, a currency mapped to a column without ISO codes are
 * errors on the mapping (never a guess). Every value is still read and checked row by row by the
 * validator afterwards, with the same parsers and limits as any other file.
 */
export class MappedValuesCheck {
  private readonly shapes = new Map<MappableField, ColumnShapes>();
  private rows = 0;

  constructor(private readonly columns: ReadonlyArray<{ field: MappableField; index: number; header: string }>) {
    for (const c of columns) this.shapes.set(c.field, new ColumnShapes());
  }

  /** False once enough rows were seen (`verdict` can be asked). */
  observe(fields: readonly string[]): boolean {
    for (const c of this.columns) this.shapes.get(c.field)!.observe(fields[c.index] ?? '');
    return ++this.rows < CHECK_ROWS;
  }

  /** The first problem, as a sentence, or null. */
  verdict(): string | null {
    for (const c of this.columns) {
      const s = this.shapes.get(c.field)!;
      const { kind, label } = FIELD_INFO[c.field];
      if (s.filled === 0) continue;
      if (kind === 'count' || kind === 'amount') {
        const words = s.counts.text + s.counts.date + s.counts.currency;
        if (words > 0 && words >= s.numbers) {
          const examples = [...(s.examples.text ?? []), ...(s.examples.date ?? []), ...(s.examples.currency ?? [])].slice(0, 3);
          return `"${c.header}" holds ${s.counts.date > s.counts.text ? 'dates' : 'text'} (${quoted(examples)}), not numbers, so it cannot be ${label}. Map ${label} to the column with its numbers.`;
        }
      } else if (kind === 'date') {
        if (s.counts.date === 0) {
          return `"${c.header}" holds no dates (${quoted(firstExamples(s))}), so it cannot be the Day column.`;
        }
      } else if (kind === 'currency') {
        if (s.counts.currency === 0) {
          return `"${c.header}" holds no currency codes such as EUR or USD (${quoted(firstExamples(s))}), so it cannot be the Currency column.`;
        }
      }
    }
    return null;
  }
}

function firstExamples(s: ColumnShapes): string[] {
  return Object.values(s.examples).flat().slice(0, 3);
}
