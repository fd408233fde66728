import type { CanonicalRow, Level } from '../../../shared/canonical.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import type { ValidationIssue } from '../../../shared/report.ts';
import { FIELDS, type Field } from '../recognise/headers/types.ts';
import { displayName, type Recognition } from '../recognise/recognise.ts';
import { CanonicalGate } from './canonical-gate.ts';
import { resolveDate, type DateReading } from './dates.ts';
import type { FileDecisions } from './evidence.ts';
import { DuplicateDays } from './duplicate-days.ts';
import { EntityRegistry, type Entity } from './entities.ts';
import { RowTable, type RowTableListener } from './row-table.ts';
import { LEVEL_FIELDS, levelPlural, levelsOf } from './levels.ts';
import { detach, shorten, trim } from './text.ts';
import type { ColumnMark, DecimalEvidence, MetricColumn } from './decimal-marks.ts';
import { readings } from './decimal-marks.ts';
import {
  NumberProblem,
  ambiguousMark,
  hasNonDigitEdge,
  impliedMark,
  parseCount,
  parseCountObserved,
  parseDecimal,
  parseDecimalObserved,
  splitMoney,
  DecimalMarkEvidence,
} from './numbers.ts';

/** How one metric column's cells are read: its decimal mark (null: open) and its evidence. */
interface CellReader {
  mark: ColumnMark;
  evidence: DecimalMarkEvidence;
}

export type { ValidatedRow } from './row-table.ts';

/** One distinct date cell of the file: read once, resolved once per pass. */
export interface DateEntry {
  reading: DateReading;
  resolved: boolean;
  iso: string | null;
  problem: string | null;
}

export interface MappedRows {
  rows: RowTable;
  issues: ValidationIssue[];
  invalid: number;
  totals: { impressions: string; clicks: string; spend: string; conversions: string; conversionValue: string };
  entities: { campaigns: number; adSets: number; ads: number };
  dateRange: { from: string; to: string } | null;
}

const PURCHASE_OR_LEAD = /purchase|lead/i;
const NONE = -1;

/**
 * Maps each data row to the canonical row under the file's decisions, and checks it: every value
 * against the zod schema, one external ID with two names or two parents (CONFLICTING_DIMENSION),
 * the same day and entity twice (DUPLICATE_ROW). Keeps the exact totals of the valid rows.
 */
export class RowMapper {
  readonly rows: RowTable;
  readonly issues: ValidationIssue[] = [];
  invalid = 0;

  private readonly gate = new CanonicalGate();
  private readonly checkImpressions = this.gate.checker('impressions');
  private readonly checkClicks = this.gate.checker('clicks');
  private readonly checkSpend = this.gate.checker('spend');
  private readonly checkConversions = this.gate.checker('conversions');
  private readonly checkConversionValue = this.gate.checker('conversion_value');
  private readonly levels: readonly Level[];
  private readonly finest: Level;
  private readonly idIsKey: Record<Level, boolean>;
  private readonly entities: EntityRegistry;
  private readonly days: DuplicateDays;
  private readonly col: Record<Field, number>;
  private readonly head: Record<Field, string | null>;
  private readonly label: Record<Field, string>;
  private readonly dateField: Field;
  private readonly shapeKeys: readonly [string, string];
  private from: string | null = null;
  private to: string | null = null;
  private readonly nonPurchase = { rows: 0, firstRow: 0, indicators: new Set<string>() };
  private readonly currencyProblems = new Map<string, string | null>();
  private readonly readers = {} as Record<Field, CellReader>;
  private rowHasError = false;
  private row = 0;
  /** Whether this row's metric cells go to the decimal-mark evidence as they are read. */
  private observing = false;

  constructor(
    private readonly recognition: Recognition,
    private readonly decisions: FileDecisions,
    /** The file's decimal-mark evidence, for rows the pass has not observed itself (see `map`). */
    private readonly decimalEvidence: DecimalEvidence,
    private readonly metricColumns: readonly MetricColumn[],
    /** Told of the valid rows as they are kept (recording them meanwhile). */
    listener: RowTableListener | null = null,
    /** The rows the file is expected to have (room for them is taken at once; see `RowTable`). */
    expectedRows?: number,
  ) {
    const r = recognition;
    this.levels = levelsOf(r.level);
    this.finest = this.levels[this.levels.length - 1]!;
    this.idIsKey = {
      campaign: !r.matchByName.campaign && !decisions.unusableIds.campaign,
      ad_set: !r.matchByName.ad_set && !decisions.unusableIds.ad_set,
      ad: !r.matchByName.ad && !decisions.unusableIds.ad,
    };
    this.col = {} as Record<Field, number>;
    this.head = {} as Record<Field, string | null>;
    this.label = {} as Record<Field, string>;
    for (const f of FIELDS) {
      const ref = r.columns[f];
      this.col[f] = ref ? ref.index : NONE;
      this.head[f] = ref ? ref.header : null;
      this.label[f] = ref ? ref.header : displayName(r.platform, f);
    }
    this.dateField = r.dateFromRange ? 'range_start' : 'date';
    for (const f of ['impressions', 'clicks', 'spend', 'conversions', 'conversion_value', 'results', 'results_value'] as const) {
      const index = this.col[f];
      const mark = index === NONE ? undefined : decisions.decimal.columns[index];
      this.readers[f] = {
        mark: mark ?? { mark: decisions.decimalMark, why: 'file', because: '' },
        evidence: index === NONE ? new DecimalMarkEvidence() : decimalEvidence.column(index),
      };
    }
    this.entities = new EntityRegistry({
      levels: this.levels,
      finest: this.finest,
      idIsKey: this.idIsKey,
      col: this.col,
      label: this.label,
      metaNames: r.platform === 'meta',
      gate: this.gate,
      error: (field, message, code) => this.error(field, message, code),
    });
    this.shapeKeys = [`${r.level}|no currency`, `${r.level}|currency`];
    this.rows = new RowTable(r.level, decisions.currency, listener, expectedRows);
    this.days = new DuplicateDays(this.rows);
  }

  /**
   * Maps and checks one row. With `observeDecimals`, its metric cells are also given to the file's
   * decimal-mark evidence while they are read (one scan for both), as the pass would otherwise do.
   */
  map(fields: readonly string[], row: number, date: DateEntry, observeDecimals: boolean): void {
    this.row = row;
    this.observing = observeDecimals;
    this.entities.row = row;
    this.rowHasError = false;
    const c = this.col;

    if (!date.resolved) this.resolve(date);
    if (date.problem !== null) this.error(this.dateField, date.problem);

    // Entities: look up each level; problems with a new entity are reported here.
    const e = this.entities;
    const campaign = e.entity(e.info.campaign, fields, null);
    const adSet = this.finest === 'campaign' ? null : e.entity(e.info.ad_set, fields, campaign);
    const ad = this.finest === 'ad' ? e.entity(e.info.ad, fields, adSet) : null;

    const impressions = this.count('impressions', c.impressions === NONE ? '' : (fields[c.impressions] ?? ''));
    const clicks = this.count('clicks', fields[c.clicks] ?? '');
    const spend = this.decimal('spend', fields[c.spend] ?? '');
    let conversions = '0';
    let conversionValue = '0';
    if (c.conversions !== NONE) conversions = this.decimal('conversions', fields[c.conversions] ?? '');
    else if (c.results !== NONE) conversions = this.resultsConversions(fields);
    if (c.conversion_value !== NONE) conversionValue = this.decimal('conversion_value', fields[c.conversion_value] ?? '');
    else if (c.results_value !== NONE) conversionValue = this.resultsValue(fields);
    const currency = this.currency(c.currency === NONE ? '' : (fields[c.currency] ?? ''));

    if (this.rowHasError) {
      this.invalid++;
      return;
    }
    const iso = date.iso!;
    // Object-level rules of the schema depend only on which keys a row has: checked on one row per shape.
    const shapeKey = this.shapeKeys[currency === null ? 0 : 1];
    const shapeProblems =
      this.gate.knownShape(shapeKey) ??
      this.gate.shapeProblems(
        this.build(iso, campaign!, adSet, ad, impressions, clicks, spend, conversions, conversionValue, currency) as unknown as Record<
          string,
          string
        >,
        shapeKey,
      );
    for (const p of shapeProblems) this.error(null, `This row cannot be stored: ${p.message}. Correct the row or export the file again.`);
    if (!this.rowHasError) e.checkEntities(campaign!, adSet, ad);
    const finestEntity = (ad ?? adSet ?? campaign)!;
    if (!this.rowHasError) {
      const earlier = this.days.earlier(finestEntity, iso);
      if (earlier !== undefined) {
        const what = this.levelWord(this.recognition.level);
        this.error(
          null,
          `This row repeats row ${earlier}: same day and same ${what}. Only one row per day and ${what} can be imported; remove one of them.`,
          'DUPLICATE_ROW',
        );
      }
    }
    if (this.rowHasError) {
      this.invalid++;
      return;
    }
    e.register(campaign!, adSet, ad, row);
    this.days.add(finestEntity, iso, row);
    if (this.from === null || iso < this.from) this.from = iso;
    if (this.to === null || iso > this.to) this.to = iso;
    this.rows.push(row, (ad ?? adSet ?? campaign)!, iso, impressions, clicks, spend, conversions, conversionValue);
  }

  /** File-level warnings this pass found (rounded ID columns, Results that are not purchases). */
  warnings(evidence: { ids: Record<Level, { firstDamagedRow: number | null; firstDamagedValue: string | null }> }): ValidationIssue[] {
    const out: ValidationIssue[] = [];
    for (const level of this.levels) {
      if (!this.decisions.unusableIds[level]) continue;
      const w = evidence.ids[level];
      const idField = LEVEL_FIELDS[level].id;
      out.push({
        row: w.firstDamagedRow,
        column: this.head[idField],
        code: 'INVALID_VALUE',
        severity: 'warning',
        message: `The ${this.label[idField]} column holds IDs a spreadsheet has rounded (row ${w.firstDamagedRow}: ${w.firstDamagedValue}), which happens when a CSV is opened and saved in Excel. They are not used: ${levelPlural(level, this.recognition.platform === 'meta')} are matched by name instead. To keep the IDs, upload the file exactly as downloaded.`,
      });
    }
    out.push(...this.decimalEvidence.languageOnlyWarnings(this.metricColumns, this.decisions.decimal));
    const np = this.nonPurchase;
    if (np.rows > 0) {
      out.push({
        row: np.firstRow,
        column: this.head.results,
        code: 'INVALID_VALUE',
        severity: 'warning',
        message: `${np.rows} row${np.rows === 1 ? '' : 's'} (the first is row ${np.firstRow}) count Results for objectives other than purchases or leads (${[...np.indicators].slice(0, 4).join(', ')}), so their conversions are recorded as 0. Add the Purchases column to the export to import purchases.`,
      });
    }
    return out;
  }

  result(): Omit<MappedRows, 'issues'> {
    return {
      rows: this.rows,
      invalid: this.invalid,
      totals: {
        impressions: this.rows.sums[0].toString(),
        clicks: this.rows.sums[1].toString(),
        spend: this.rows.sums[2].toString(),
        conversions: this.rows.sums[3].toString(),
        conversionValue: this.rows.sums[4].toString(),
      },
      entities: { campaigns: this.entities.size('campaign'), adSets: this.entities.size('ad_set'), ads: this.entities.size('ad') },
      dateRange: this.from !== null && this.to !== null ? { from: this.from, to: this.to } : null,
    };
  }

  // ---------------------------------------------------------------------------------------------

  private error(field: Field | null, message: string, code: ErrorCode = 'INVALID_VALUE'): void {
    this.rowHasError = true;
    this.issues.push({ row: this.row, column: field === null ? null : this.head[field], code, severity: 'error', message });
  }

  private resolve(entry: DateEntry): void {
    entry.resolved = true;
    const iso = resolveDate(entry.reading, this.decisions.dateOrder);
    const label = this.label[this.dateField];
    if (iso !== null) {
      const problem = this.gate.fieldProblem('date', iso);
      entry.iso = iso;
      entry.problem = problem === null ? null : `${label} "${iso}" is not ${problem}. Correct the cell or export the file again.`;
      return;
    }
    const r = entry.reading;
    const v = r.kind === 'invalid' ? r.text : r.kind === 'numeric' ? r.text : '';
    entry.problem =
      v === ''
        ? `${label} is empty; every row needs its day. Fill in the day or remove the row.`
        : r.kind === 'numeric' && this.decisions.dateOrder === null
          ? `${label} "${shorten(v)}" can be read as day/month or month/day, and this file does not show which. Export dates as YYYY-MM-DD and try again.`
          : `${label} "${shorten(v)}" is not a date${r.kind === 'numeric' ? ` (this file writes dates ${this.decisions.dateOrder === 'dmy' ? 'day/month/year' : 'month/day/year'})` : ''}. Correct the cell or export the file again.`;
  }

  private build(
    date: string,
    campaign: Entity,
    adSet: Entity | null,
    ad: Entity | null,
    impressions: string,
    clicks: string,
    spend: string,
    conversions: string,
    conversionValue: string,
    currency: string | null,
  ): CanonicalRow {
    // One literal per shape, so every row of a file shares one hidden class (no property added later).
    const c = campaign;
    if (currency === null) {
      if (ad !== null)
        return {
          date,
          campaign_external_id: c.id,
          campaign_name: c.name,
          ad_set_external_id: adSet!.id,
          ad_set_name: adSet!.name,
          ad_external_id: ad.id,
          ad_name: ad.name,
          impressions,
          clicks,
          spend,
          conversions,
          conversion_value: conversionValue,
        };
      if (adSet !== null)
        return {
          date,
          campaign_external_id: c.id,
          campaign_name: c.name,
          ad_set_external_id: adSet.id,
          ad_set_name: adSet.name,
          impressions,
          clicks,
          spend,
          conversions,
          conversion_value: conversionValue,
        };
      return {
        date,
        campaign_external_id: c.id,
        campaign_name: c.name,
        impressions,
        clicks,
        spend,
        conversions,
        conversion_value: conversionValue,
      };
    }
    if (ad !== null)
      return {
        date,
        campaign_external_id: c.id,
        campaign_name: c.name,
        ad_set_external_id: adSet!.id,
        ad_set_name: adSet!.name,
        ad_external_id: ad.id,
        ad_name: ad.name,
        impressions,
        clicks,
        spend,
        conversions,
        conversion_value: conversionValue,
        currency,
      };
    if (adSet !== null)
      return {
        date,
        campaign_external_id: c.id,
        campaign_name: c.name,
        ad_set_external_id: adSet.id,
        ad_set_name: adSet.name,
        impressions,
        clicks,
        spend,
        conversions,
        conversion_value: conversionValue,
        currency,
      };
    return {
      date,
      campaign_external_id: c.id,
      campaign_name: c.name,
      impressions,
      clicks,
      spend,
      conversions,
      conversion_value: conversionValue,
      currency,
    };
  }

  private count(field: Field, cell: string): string {
    if (cell === '') return '0';
    if (hasNonDigitEdge(cell) && this.withCurrency(field, cell, false) === null) return '0';
    const rd = this.readers[field];
    const mark = rd.mark.mark;
    // `2.000` impressions where "." is the decimal mark: 2 or 2,000? A count has no decimals.
    if (mark === null || (cell.length >= 5 && ambiguousMark(cell) === mark)) {
      const open = this.openCell(field, cell, rd, true);
      if (open !== null) return open;
    }
    const parsed = this.observing
      ? parseCountObserved(cell, mark ?? impliedMark(cell) ?? '.', rd.evidence, this.row)
      : parseCount(cell, mark ?? impliedMark(cell) ?? '.');
    return this.checked(field, cell, parsed, field === 'impressions' ? this.checkImpressions : this.checkClicks);
  }

  private decimal(field: Field, rawCell: string): string {
    if (rawCell === '') return '0';
    let cell = rawCell;
    if (hasNonDigitEdge(cell)) {
      const amount = this.withCurrency(field, cell, field === 'spend' || field === 'conversion_value' || field === 'results_value');
      if (amount === null) return '0';
      cell = amount;
    }
    const check =
      field === 'spend'
        ? this.checkSpend
        : field === 'conversion_value' || field === 'results_value'
          ? this.checkConversionValue
          : this.checkConversions;
    const rd = this.readers[field];
    const mark = rd.mark.mark;
    if (mark === null) {
      const open = this.openCell(field, cell, rd, false);
      if (open !== null) return open;
    }
    const parsed = this.observing
      ? parseDecimalObserved(cell, mark ?? impliedMark(cell) ?? '.', rd.evidence, false, this.row)
      : parseDecimal(cell, mark ?? impliedMark(cell) ?? '.');
    return this.checked(field, cell, parsed, check);
  }

  /**
   * The amount of a cell that may carry a currency (`US$50.00`, `€12,50`, `12.50 USD`), after checking
   * that currency: it must be the file's (else CURRENCY_MISMATCH on the row), and only money columns
   * have one. Null when the cell is an error (reported here).
   */
  private withCurrency(field: Field, cell: string, money: boolean): string | null {
    const split = splitMoney(cell);
    const value = shorten(cell.trim());
    if (split instanceof NumberProblem) {
      this.error(field, `${this.label[field]} "${value}" ${split.problem}. Correct the cell or export the file again.`);
      return null;
    }
    const written = split.currency;
    if (written === null) return split.amount;
    if (!money) {
      this.error(
        field,
        `${this.label[field]} "${value}" has a currency (${written.text}), but it is not an amount of money. Correct the cell or export the file again.`,
      );
      return null;
    }
    const fileCurrency = this.decisions.currency;
    const conflict = this.decisions.amountCurrencyConflict;
    if (fileCurrency !== null ? !written.codes.includes(fileCurrency) : conflict !== null) {
      const means =
        written.codes.length === 1
          ? written.codes[0]!
          : written.codes.length === 2
            ? `${written.codes[0]} or ${written.codes[1]}`
            : `one of ${written.codes.slice(0, 4).join(', ')}${written.codes.length > 4 ? ', …' : ''}`;
      this.error(
        field,
        fileCurrency !== null
          ? `${this.label[field]} "${value}" is in ${means}, but this file's amounts are in ${fileCurrency}. Export one ad account (one currency) at a time, or correct the cell.`
          : `${this.label[field]} "${value}" is in ${means}, but this file's amounts are written in more than one currency (${conflict}) and it states none. Export one ad account (one currency) at a time, or correct the cell.`,
        'CURRENCY_MISMATCH',
      );
      return null;
    }
    return split.amount;
  }

  /**
   * A cell either mark explains (`2.500`) where the column's mark is open, or a count the column's
   * mark would give a fraction: an error that says both readings (the cell is still observed). Null
   * when the cell is not such a cell.
   */
  private openCell(field: Field, cell: string, rd: CellReader, integer: boolean): string | null {
    const shown = ambiguousMark(cell);
    if (shown === null) return null;
    if (this.observing) rd.evidence.observe(cell, integer, this.row);
    const value = shorten(cell.trim());
    const [withPoint, withComma] = readings(cell);
    const m = rd.mark;
    if (m.mark !== null) {
      // A count: the file's mark makes it a fraction, grouping would make it whole.
      const fraction = m.mark === '.' ? withPoint : withComma;
      const whole = m.mark === '.' ? withComma : withPoint;
      this.error(
        field,
        `${this.label[field]} "${value}" is ambiguous: a count has no decimals, so "${shown}" would group thousands (${whole}), but ${m.because}, which makes it ${fraction}. Correct the cell, or export the file again without thousands separators.`,
      );
    } else {
      this.error(
        field,
        `${this.label[field]} "${value}" is ${withPoint} with a decimal point or ${withComma} with a decimal comma; ${m.because}. metricdrop will not pick one: check the value in the ad platform and correct the cell, or export the file again with one number format.`,
      );
    }
    return '0';
  }

  private checked(field: Field, cell: string, parsed: string | NumberProblem, check: (value: string) => string | null): string {
    if (parsed instanceof NumberProblem) {
      this.error(field, `${this.label[field]} "${shorten(cell.trim())}" ${parsed.problem}. Correct the cell or export the file again.`);
      return '0';
    }
    const problem = check(parsed);
    if (problem !== null) {
      this.error(
        field,
        `${this.label[field]} "${shorten(cell.trim())}" cannot be stored (it must be ${problem}). Correct the cell or export the file again.`,
      );
      return '0';
    }
    return parsed.length >= 13 ? detach(parsed) : parsed;
  }

  /** Meta's Results count only when its indicator is a purchase or lead action; else 0, with a warning. */
  private resultsConversions(fields: readonly string[]): string {
    const results = this.decimal('results', fields[this.col.results] ?? '');
    const indicator = this.col.result_indicator === NONE ? '' : (fields[this.col.result_indicator] ?? '');
    if (PURCHASE_OR_LEAD.test(indicator)) return results;
    if (results !== '0') {
      const np = this.nonPurchase;
      if (np.rows++ === 0) np.firstRow = this.row;
      if (np.indicators.size < 8) np.indicators.add(trim(indicator) || '(blank)');
    }
    return '0';
  }

  private resultsValue(fields: readonly string[]): string {
    const value = this.decimal('results_value', fields[this.col.results_value] ?? '');
    const c = this.col.result_value_indicator !== NONE ? this.col.result_value_indicator : this.col.result_indicator;
    const indicator = c === NONE ? '' : (fields[c] ?? '');
    return PURCHASE_OR_LEAD.test(indicator) ? value : '0';
  }

  /** The row's currency: its own cell if it has one, else the file's. A row in another currency is an error. */
  private currency(cell: string): string | null {
    const fileCurrency = this.decisions.currency;
    if (cell === '') return fileCurrency;
    let problem = this.currencyProblems.get(cell);
    if (problem === undefined) {
      const code = cell.trim().toUpperCase();
      problem =
        code === ''
          ? null
          : this.gate.fieldProblem('currency', code) !== null
            ? `${this.label.currency} "${shorten(cell.trim())}" is not a currency code such as USD or EUR.`
            : fileCurrency !== null && code !== fileCurrency
              ? `This row is in ${code} but the file's spend is in ${fileCurrency}. Export one ad account (one currency) at a time.`
              : null;
      this.currencyProblems.set(cell, problem);
    }
    if (problem !== null) this.error('currency', problem);
    return fileCurrency;
  }

  private levelWord(level: Level): string {
    return level === 'ad' ? 'ad' : level === 'ad_set' ? 'ad set' : 'campaign';
  }
}
