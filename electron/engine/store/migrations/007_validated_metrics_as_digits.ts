import type { Migration } from '../migrate.ts';

/** The five metrics of a row, in canonical-row order; metric `m`'s scale is bits 4m to 4m+3 of `scales`. */
const METRIC_COLUMNS = ['impressions', 'clicks', 'spend', 'conversions', 'conversion_value'] as const;

/**
 * Metric `m` of a fact as the canonical decimal text it was validated as: its digits with the point
 * put back `scale` digits from the right (zeros padded in front for `0.05`), or its text in `long`.
 */
function metricTextSql(alias: string, m: number): string {
  const column = `${alias}.${METRIC_COLUMNS[m]!}`;
  const scale = `((${alias}.scales >> ${4 * m}) & 15)`;
  const padded = `printf('%0*d', ${scale} + 1, ${column})`;
  return `case ${scale} when 0 then cast(${column} as text) when 15 then ${alias}.long ->> ${m}
      else substr(${padded}, 1, length(${padded}) - ${scale}) || '.' || substr(${padded}, -${scale}) end`;
}

/** Metric `m` of a version-6 row (its text) as digits, scale and, beyond 15 digits, the text itself. */
const digitCount = (text: string) => `length(replace(${text}, '.', ''))`;
const scaleOf = (text: string) => `case when ${digitCount(text)} > 15 then 15 when instr(${text}, '.') = 0 then 0
      else length(${text}) - instr(${text}, '.') end`;

/**
 * A row's metrics are kept as numbers: each metric's digits (an integer of at most 15 digits, exact
 * in SQLite and in a double) and its decimal scale, the five scales packed 4 bits each into
 * `scales`. Recording 100,000 rows then binds no text for them, and builds none: the recording
 * thread spends about a third less. A metric of more than 15 digits (which a double does not hold)
 * has scale 15 and its text in `long`, a JSON array of the five metrics (null where not long).
 * The view `validated_fact_texts` gives each fact back with its metrics as the canonical text they
 * were validated as, digit for digit (trailing zeros kept), and `validated_rows` joins it with the
 * entities as before, so every reader reads the same columns. The rows a store has are moved over.
 */
export const migration007: Migration = {
  version: 7,
  name: 'validated_metrics_as_digits',
  up(db) {
    const moved = METRIC_COLUMNS.map((c) => `case when ${digitCount(c)} > 15 then 0 else cast(replace(${c}, '.', '') as integer) end`);
    const scales = METRIC_COLUMNS.map((c, m) => `((${scaleOf(c)}) << ${4 * m})`).join(' | ');
    const anyLong = METRIC_COLUMNS.map((c) => `${digitCount(c)} > 15`).join(' or ');
    const long = `case when ${anyLong} then json_array(${METRIC_COLUMNS.map((c) => `case when ${digitCount(c)} > 15 then ${c} end`).join(', ')}) end`;
    db.exec(`
      create table validated_facts_by_digits (
        row_set integer not null references validation_row_sets (key) on delete cascade,
        row_number integer not null,
        date text not null,
        entity integer not null,
        impressions integer not null,
        clicks integer not null,
        spend integer not null,
        conversions integer not null,
        conversion_value integer not null,
        scales integer not null,
        long text,
        currency text,
        primary key (row_set, row_number),
        foreign key (row_set, entity) references validated_entities (row_set, number) on delete cascade
      ) without rowid;

      insert into validated_facts_by_digits (row_set, row_number, date, entity, impressions, clicks, spend, conversions,
          conversion_value, scales, long, currency)
        select row_set, row_number, date, entity, ${moved.join(', ')}, ${scales}, ${long}, currency
          from validated_facts;

    `);
    // Every metric must read back as the text it was before the old rows go: a text that is not a
    // canonical decimal (never written by metricdrop) would change, so the store is left at version 6.
    const changed = db
      .prepare(
        `select count(*) from validated_facts o join validated_facts_by_digits f on f.row_set = o.row_set and f.row_number = o.row_number
          where ${METRIC_COLUMNS.map((c, m) => `o.${c} is not (${metricTextSql('f', m)})`).join(' or ')}`,
      )
      .pluck()
      .get() as number;
    if (changed > 0) {
      throw new Error(
        `The local store holds ${changed} validated row(s) whose numbers this version cannot keep exactly, so it was not updated and nothing in it changed. Keep the store as it is and use the metricdrop version that wrote it, or use another --home folder.`,
      );
    }
    db.exec(`
      drop view validated_rows;
      drop table validated_facts;
      alter table validated_facts_by_digits rename to validated_facts;

      create view validated_fact_texts as
        select f.row_set, f.row_number, f.date, f.entity, ${METRIC_COLUMNS.map((c, m) => `${metricTextSql('f', m)} as ${c}`).join(', ')},
               f.currency
          from validated_facts f;

      create view validated_rows as
        select s.validation_id, f.row_number, f.date, e.campaign_external_id, e.campaign_name, e.ad_set_external_id,
               e.ad_set_name, e.ad_external_id, e.ad_name, f.impressions, f.clicks, f.spend, f.conversions,
               f.conversion_value, f.currency
          from validated_fact_texts f
          join validation_row_sets s on s.key = f.row_set
          join validated_entities e on e.row_set = f.row_set and e.number = f.entity;
    `);
  },
};
