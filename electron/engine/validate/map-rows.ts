import { CanonicalRow, type Level } from '../../../shared/canonical.ts';
import type { ValidationIssue } from '../../../shared/report.ts';
import type { Field } from '../recognise/aliases.ts';
import { displayName, type Recognition } from '../recognise/recognise.ts';
import type { ExportCollector, RawRow } from './collect.ts';
import { resolveDate, type DateOrder } from './dates.ts';
import { DecimalSum } from './decimal.ts';
import { parseCount, parseDecimal, type DecimalMark, type NumberResult } from './numbers.ts';

/** A valid canonical row and its spreadsheet row number. */
export interface ValidatedRow {
  rowNumber: number;
  row: CanonicalRow;
}

export interface MappedRows {
  rows: ValidatedRow[];
  issues: ValidationIssue[];
  invalid: number;
  currency: string | null;
  decimalMark: DecimalMark;
  dateOrder: DateOrder | null;
  totals: { impressions: string; clicks: string; spend: string; conversions: string; conversionValue: string };
  entities: { campaigns: number; adSets: number; ads: number };
  dateRange: { from: string; to: string } | null;
}

type Level3 = 'campaign' | 'adSet' | 'ad';
const MAX_ID = 64;
const MAX_NAME = 1024;
const PURCHASE_OR_LEAD = /purchase|lead/i;

/**
 * The second pass, over the kept cells: decides the file's decimal mark and day/month order once,
 * maps each row to the canonical row, checks it with the zod schema, and finds duplicate rows and
 * IDs with two names or two parents. Every problem becomes an issue with row, column and a sentence.
 */
export function mapRows(collector: ExportCollector, recognition: Recognition): MappedRows {
  const r = recognition;
  const cols = r.columns;
  const header = (f: Field): string | null => cols[f]?.header ?? null;
  const label = (f: Field): string => cols[f]?.header ?? displayName(r.platform, f);
  const mark = collector.decimalEvidence.decide(r.decimalHint);
  const order = collector.dateEvidence.decide();
  const fileIssues: ValidationIssue[] = [];
  const rowIssues: ValidationIssue[] = [];

  const levels: Level3[] = r.level === 'ad' ? ['campaign', 'adSet', 'ad'] : r.level === 'ad_set' ? ['campaign', 'adSet'] : ['campaign'];
  const fieldsOf = { campaign: ['campaignName', 'campaignId'], adSet: ['adSetName', 'adSetId'], ad: ['adName', 'adId'] } as const;
  const plural = { campaign: 'campaigns', adSet: r.platform === 'meta' ? 'ad sets' : 'ad groups', ad: 'ads' };
  const idIsKey = { campaign: false, adSet: false, ad: false };
  for (const level of levels) {
    const watch = collector.idWatch[level];
    const damaged = !r.matchByName[level] && watch.damaged();
    idIsKey[level] = !r.matchByName[level] && !damaged;
    if (damaged) {
      fileIssues.push({
        row: watch.firstDamagedRow,
        column: header(fieldsOf[level][1]),
        code: 'INVALID_VALUE',
        severity: 'warning',
        message: `The ${label(fieldsOf[level][1])} column holds IDs a spreadsheet has rounded (row ${watch.firstDamagedRow}: ${watch.firstDamagedValue}), which happens when a CSV is opened and saved in Excel. They are not used: ${plural[level]} are matched by name instead. To keep the IDs, upload the file exactly as downloaded.`,
      });
    }
  }

  const currency = decideCurrency(collector.rows, r.headerCurrency);
  const nonPurchase = { rows: 0, firstRow: 0, indicators: new Set<string>() };
  const entityMaps = { campaign: new Map<string, Entity>(), adSet: new Map<string, Entity>(), ad: new Map<string, Entity>() };
  const seenFacts = new Map<string, number>();
  const sums = { impressions: new DecimalSum(), clicks: new DecimalSum(), spend: new DecimalSum(), conversions: new DecimalSum(), conversionValue: new DecimalSum() };
  const rows: ValidatedRow[] = [];
  let invalid = collector.rejected;
  let from: string | null = null;
  let to: string | null = null;

  for (const raw of collector.rows) {
    const before = rowIssues.length;
    const error = (field: Field | null, message: string, code: ValidationIssue['code'] = 'INVALID_VALUE') =>
      rowIssues.push({ row: raw.row, column: field ? header(field) : null, code, severity: 'error', message });
    const number = (field: Field, value: string, parse: (s: string, m: DecimalMark) => NumberResult): string => {
      if (value === '') return '0';
      const res = parse(value, mark);
      if (res.ok) return res.value;
      error(field, `${label(field)} "${shorten(value)}" ${res.problem}. Correct the cell or export the file again.`);
      return '0';
    };

    const dateField: Field = r.dateFromRange ? 'rangeStart' : 'date';
    const reading = collector.dateReadings.get(raw.date) ?? { kind: 'invalid' as const };
    const date = resolveDate(reading, order);
    if (date === null) {
      const v = raw.date.trim();
      error(
        dateField,
        v === ''
          ? `${label(dateField)} is empty; every row needs its day.`
          : reading.kind === 'numeric' && order === null
            ? `${label(dateField)} "${shorten(v)}" can be read as day/month or month/day, and this file does not show which. Export dates as YYYY-MM-DD (or set the spreadsheet's date format) and try again.`
            : `${label(dateField)} "${shorten(v)}" is not a date${reading.kind === 'numeric' && order ? ` (this file writes dates ${order === 'dmy' ? 'day/month/year' : 'month/day/year'})` : ''}. Correct the cell or export the file again.`,
      );
    }

    const entity: Record<Level3, { id: string; name: string }> = {
      campaign: { id: '', name: '' },
      adSet: { id: '', name: '' },
      ad: { id: '', name: '' },
    };
    for (const level of levels) {
      const [nameField, idField] = fieldsOf[level];
      const nameCell = (level === 'campaign' ? raw.campaignName : level === 'adSet' ? raw.adSetName : raw.adName).trim();
      const idCell = (level === 'campaign' ? raw.campaignId : level === 'adSet' ? raw.adSetId : raw.adId).trim();
      const name = r.nameFromId[level] ? idCell : nameCell;
      const id = idIsKey[level] ? idCell : name;
      if (name === '') error(r.nameFromId[level] ? idField : nameField, `${label(r.nameFromId[level] ? idField : nameField)} is empty; every row needs it.`);
      else if (name.length > MAX_NAME) error(nameField, `${label(nameField)} is longer than ${MAX_NAME} characters.`);
      if (idIsKey[level] && id === '') error(idField, `${label(idField)} is empty; every row needs it.`);
      else if (id.length > MAX_ID) {
        error(
          idIsKey[level] ? idField : nameField,
          idIsKey[level]
            ? `${label(idField)} is longer than ${MAX_ID} characters, which no platform's IDs are.`
            : `${label(nameField)} is used as the ID (the export has no usable ID column) but is longer than ${MAX_ID} characters. Add the ID column to the export.`,
        );
      }
      entity[level] = { id, name };
    }

    const impressions = number('impressions', raw.impressions, parseCount);
    const clicks = number('clicks', raw.clicks, parseCount);
    const spend = number('spend', raw.spend, parseDecimal);
    let conversions = '0';
    let conversionValue = '0';
    if (cols.conversions) conversions = number('conversions', raw.conversions, parseDecimal);
    else if (cols.results) {
      const results = number('results', raw.results, parseDecimal);
      if (PURCHASE_OR_LEAD.test(raw.resultIndicator)) conversions = results;
      else if (results !== '0') {
        if (nonPurchase.rows++ === 0) nonPurchase.firstRow = raw.row;
        nonPurchase.indicators.add(raw.resultIndicator.trim() || '(blank)');
      }
    }
    if (cols.conversionValue) conversionValue = number('conversionValue', raw.conversionValue, parseDecimal);
    else if (cols.resultsValue) {
      const value = number('resultsValue', raw.resultsValue, parseDecimal);
      const indicator = cols.resultValueIndicator ? raw.resultValueIndicator : raw.resultIndicator;
      if (PURCHASE_OR_LEAD.test(indicator)) conversionValue = value;
    }

    let rowCurrency = currency;
    const currencyCell = raw.currency.trim().toUpperCase();
    if (currencyCell !== '') {
      if (!/^[A-Z]{3}$/.test(currencyCell)) error('currency', `${label('currency')} "${shorten(raw.currency.trim())}" is not a currency code such as USD or EUR.`);
      else if (currency !== null && currencyCell !== currency) {
        error('currency', `This row is in ${currencyCell} but the file's spend is in ${currency}. Export one ad account (one currency) at a time.`);
      } else rowCurrency = currencyCell;
    }

    if (rowIssues.length > before) {
      invalid++;
      continue;
    }

    const canonical: Record<string, string> = {
      date: date!,
      campaign_external_id: entity.campaign.id,
      campaign_name: entity.campaign.name,
    };
    if (r.level !== 'campaign') {
      canonical.ad_set_external_id = entity.adSet.id;
      canonical.ad_set_name = entity.adSet.name;
    }
    if (r.level === 'ad') {
      canonical.ad_external_id = entity.ad.id;
      canonical.ad_name = entity.ad.name;
    }
    canonical.impressions = impressions;
    canonical.clicks = clicks;
    canonical.spend = spend;
    canonical.conversions = conversions;
    canonical.conversion_value = conversionValue;
    if (rowCurrency !== null) canonical.currency = rowCurrency;

    // The zod schema is the single definition of the canonical row: nothing passes that it refuses.
    const parsed = CanonicalRow.safeParse(canonical);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = CANONICAL_TO_FIELD[String(issue.path[0] ?? '')] ?? null;
        error(field, `${field ? label(field) : 'This row'}: ${issue.message}.`);
      }
      invalid++;
      continue;
    }

    const conflicts = checkEntities(raw.row, levels, entity, entityMaps, (level, message, field) => error(field, message, 'CONFLICTING_DIMENSION'), label, plural, fieldsOf, idIsKey);
    if (conflicts) {
      invalid++;
      continue;
    }
    const key = `${date}\u0001${entity.campaign.id}\u0001${entity.adSet.id}\u0001${entity.ad.id}`;
    const earlier = seenFacts.get(key);
    if (earlier !== undefined) {
      error(null, `This row repeats row ${earlier}: same day and same ${levelWord(r.level)}. Only one row per day and ${levelWord(r.level)} can be imported; remove one of them.`, 'DUPLICATE_ROW');
      invalid++;
      continue;
    }
    seenFacts.set(key, raw.row);
    for (const level of levels) {
      const map = entityMaps[level];
      if (!map.has(entity[level].id)) {
        map.set(entity[level].id, { name: entity[level].name, parent: parentOf(level, entity), row: raw.row });
      }
    }

    sums.impressions.add(impressions);
    sums.clicks.add(clicks);
    sums.spend.add(spend);
    sums.conversions.add(conversions);
    sums.conversionValue.add(conversionValue);
    if (from === null || date! < from) from = date;
    if (to === null || date! > to) to = date;
    rows.push({ rowNumber: raw.row, row: parsed.data });
  }

  if (nonPurchase.rows > 0) {
    fileIssues.push({
      row: nonPurchase.firstRow,
      column: header('results'),
      code: 'INVALID_VALUE',
      severity: 'warning',
      message: `${nonPurchase.rows} row${nonPurchase.rows === 1 ? '' : 's'} (the first is row ${nonPurchase.firstRow}) count Results for objectives other than purchases or leads (${[...nonPurchase.indicators].slice(0, 4).join(', ')}), so their conversions are recorded as 0. Add the Purchases column to the export to import purchases.`,
    });
  }

  return {
    rows,
    issues: [...r.warnings, ...fileIssues, ...collector.issues, ...rowIssues],
    invalid,
    currency,
    decimalMark: mark,
    dateOrder: order,
    totals: {
      impressions: sums.impressions.toString(),
      clicks: sums.clicks.toString(),
      spend: sums.spend.toString(),
      conversions: sums.conversions.toString(),
      conversionValue: sums.conversionValue.toString(),
    },
    entities: { campaigns: entityMaps.campaign.size, adSets: entityMaps.adSet.size, ads: entityMaps.ad.size },
    dateRange: from !== null && to !== null ? { from, to } : null,
  };
}

interface Entity {
  name: string;
  parent: string | null;
  row: number;
}

const CANONICAL_TO_FIELD: Record<string, Field> = {
  date: 'date',
  campaign_external_id: 'campaignId',
  campaign_name: 'campaignName',
  ad_set_external_id: 'adSetId',
  ad_set_name: 'adSetName',
  ad_external_id: 'adId',
  ad_name: 'adName',
  impressions: 'impressions',
  clicks: 'clicks',
  spend: 'spend',
  conversions: 'conversions',
  conversion_value: 'conversionValue',
  currency: 'currency',
};

function parentOf(level: Level3, entity: Record<Level3, { id: string }>): string | null {
  return level === 'adSet' ? entity.campaign.id : level === 'ad' ? entity.adSet.id : null;
}

/** One external ID with two names or two parents in one file: CONFLICTING_DIMENSION. */
function checkEntities(
  row: number,
  levels: readonly Level3[],
  entity: Record<Level3, { id: string; name: string }>,
  maps: Record<Level3, Map<string, Entity>>,
  conflict: (level: Level3, message: string, field: Field) => void,
  label: (f: Field) => string,
  plural: Record<Level3, string>,
  fieldsOf: Record<Level3, readonly [Field, Field]>,
  idIsKey: Record<Level3, boolean>,
): boolean {
  let found = false;
  for (const level of levels) {
    const known = maps[level].get(entity[level].id);
    if (!known) continue;
    const [nameField, idField] = fieldsOf[level];
    const idText = idIsKey[level] ? `${label(idField)} ${entity[level].id}` : `"${shorten(entity[level].name)}"`;
    if (known.name !== entity[level].name) {
      conflict(level, `${label(idField)} ${entity[level].id} is named "${shorten(known.name)}" on row ${known.row} and "${shorten(entity[level].name)}" here; one ID can have only one name. Correct one of the rows or export the file again.`, nameField);
      found = true;
    }
    const parent = parentOf(level, entity);
    if (known.parent !== parent) {
      const parentLevel: Level3 = level === 'ad' ? 'adSet' : 'campaign';
      conflict(level, `${idText} belongs to ${label(fieldsOf[parentLevel][1])} ${known.parent} on row ${known.row} but to ${parent} here; one of the ${plural[level]} cannot have two parents. Correct one of the rows or export the file again.`, idIsKey[level] ? idField : nameField);
      found = true;
    }
  }
  return found;
}

/** The currency the spend header names, else the one most rows name, else unknown. */
function decideCurrency(rows: readonly RawRow[], headerCurrency: string | null): string | null {
  if (headerCurrency !== null) return headerCurrency;
  const counts = new Map<string, number>();
  for (const raw of rows) {
    if (raw.currency === '') continue;
    const c = raw.currency.trim().toUpperCase();
    if (/^[A-Z]{3}$/.test(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: string | null = null;
  let n = 0;
  for (const [c, k] of counts) {
    if (k > n) {
      best = c;
      n = k;
    }
  }
  return best;
}

function levelWord(level: Level): string {
  return level === 'ad' ? 'ad' : level === 'ad_set' ? 'ad set' : 'campaign';
}

function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
