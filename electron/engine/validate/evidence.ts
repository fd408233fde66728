import type { Level } from '../../../shared/canonical.ts';
import { DateOrderEvidence, type DateOrder } from './dates.ts';
import { IdColumnWatch } from './ids.ts';
import { DecimalEvidence, sameDecimalDecision, type DecimalDecision, type MetricColumn } from './decimal-marks.ts';
import { hasNonDigitEdge, splitMoney, type DecimalMark } from './numbers.ts';

/**
 * What a file's cells say about how to read it. Every decision is made once for the whole file,
 * never per cell: the decimal mark (per column where the columns disagree, see decimal-marks.ts),
 * the day/month order, the currency, and whether each ID column was rounded by a spreadsheet (and
 * so cannot be used as IDs).
 */
export interface FileDecisions {
  /** The file's decimal mark (for the read facts); each metric column's is in `decimal`. */
  decimalMark: DecimalMark;
  decimal: DecimalDecision;
  dateOrder: DateOrder | null;
  currency: string | null;
  /**
   * Where the file states no currency and its amounts are written with currencies that cannot be
   * one (`€12.50` on one row, `$8.00` on another): where they were seen. Then no row is taken in
   * either; each such cell is CURRENCY_MISMATCH.
   */
  amountCurrencyConflict: string | null;
  unusableIds: Record<Level, boolean>;
}

export function sameDecisions(a: FileDecisions, b: FileDecisions): boolean {
  return (
    a.decimalMark === b.decimalMark &&
    sameDecimalDecision(a.decimal, b.decimal) &&
    a.dateOrder === b.dateOrder &&
    a.currency === b.currency &&
    a.amountCurrencyConflict === b.amountCurrencyConflict &&
    a.unusableIds.campaign === b.unusableIds.campaign &&
    a.unusableIds.ad_set === b.unusableIds.ad_set &&
    a.unusableIds.ad === b.unusableIds.ad
  );
}

export class FileEvidence {
  readonly decimal = new DecimalEvidence();
  readonly dates = new DateOrderEvidence();
  readonly ids: Record<Level, IdColumnWatch> = {
    campaign: new IdColumnWatch(),
    ad_set: new IdColumnWatch(),
    ad: new IdColumnWatch(),
  };
  private readonly currencies = new Map<string, number>();
  /** The currencies the money cells' signs and codes can all be (null: none seen yet). */
  private amountCodes: string[] | null = null;
  private firstAmountMarker: { row: number; text: string } | null = null;
  private amountConflict: string | null = null;

  /** A money cell (spend, conversion value): a sign or code written in it is evidence of the currency. */
  observeMoney(cell: string, row: number): void {
    if (!hasNonDigitEdge(cell)) return;
    const split = splitMoney(cell);
    if (!('amount' in split) || split.currency === null) return;
    const { codes, text } = split.currency;
    if (this.amountCodes === null) {
      this.amountCodes = [...codes];
      this.firstAmountMarker = { row, text };
      return;
    }
    const both = this.amountCodes.filter((c) => codes.includes(c));
    if (both.length === 0) {
      this.amountConflict ??= `${this.firstAmountMarker!.text} on row ${this.firstAmountMarker!.row}, ${text} on row ${row}`;
      return;
    }
    this.amountCodes = both;
  }

  observeCurrency(cell: string): void {
    if (cell === '') return;
    this.currencies.set(cell, (this.currencies.get(cell) ?? 0) + 1);
  }

  /** Decisions from what has been seen so far. `headerCurrency` (`Amount spent (EUR)`) wins over cells. */
  decide(opts: {
    metricColumns: readonly MetricColumn[];
    /** The decimal mark of the header's language, and the language's name for messages. */
    language: { mark: DecimalMark; name: string; exact?: boolean };
    headerCurrency: string | null;
    idColumns: Record<Level, boolean>;
  }): FileDecisions {
    const decimal = this.decimal.decide(opts.metricColumns, opts.language);
    return {
      decimalMark: decimal.fileMark,
      decimal,
      dateOrder: this.dates.decide(),
      currency:
        opts.headerCurrency ??
        this.majorityCurrency() ??
        (this.amountConflict === null && this.amountCodes?.length === 1 ? this.amountCodes[0]! : null),
      amountCurrencyConflict: (opts.headerCurrency ?? this.majorityCurrency()) ? null : this.amountConflict,
      unusableIds: {
        campaign: opts.idColumns.campaign && this.ids.campaign.damaged(),
        ad_set: opts.idColumns.ad_set && this.ids.ad_set.damaged(),
        ad: opts.idColumns.ad && this.ids.ad.damaged(),
      },
    };
  }

  private majorityCurrency(): string | null {
    const counts = new Map<string, number>();
    for (const [cell, n] of this.currencies) {
      const c = cell.trim().toUpperCase();
      if (/^[A-Z]{3}$/.test(c)) counts.set(c, (counts.get(c) ?? 0) + n);
    }
    let best: string | null = null;
    let most = 0;
    for (const [c, n] of counts) {
      if (n > most) {
        best = c;
        most = n;
      }
    }
    return best;
  }
}
