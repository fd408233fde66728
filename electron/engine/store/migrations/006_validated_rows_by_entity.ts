import type { Migration } from '../migrate.ts';

/**
 * A validation's rows keep each entity once: a file of 100,000 ad rows names a few thousand ads, so
 * writing every row with its six id and name texts (and the validation's 36-character id in its key)
 * made recording it twice the work and the store twice the size. Now:
 * - `validation_row_sets` numbers each validation that has rows (`key`, a small integer for the rows'
 *   keys), deleted with its validation;
 * - `validated_entities` holds each distinct chain of ids and names (campaign, ad set, ad) of a row
 *   set once, by `number` (the chain's number in the order the file first used it);
 * - `validated_facts` holds each row: its row number, date, entity number, metrics and currency.
 * The view `validated_rows` joins them back into the columns, names and order of before, so every
 * reader (summaries, the local mirror, the upload's pages) reads rows exactly as they were validated.
 * The rows a store already has are moved over, digit for digit.
 */
export const migration006: Migration = {
  version: 6,
  name: 'validated_rows_by_entity',
  up(db) {
    db.exec(`
      create table validation_row_sets (
        key integer primary key,
        validation_id text not null unique references validations (id) on delete cascade
      );

      create table validated_entities (
        row_set integer not null references validation_row_sets (key) on delete cascade,
        number integer not null,
        campaign_external_id text not null,
        campaign_name text not null,
        ad_set_external_id text,
        ad_set_name text,
        ad_external_id text,
        ad_name text,
        primary key (row_set, number)
      ) without rowid;

      create table validated_facts (
        row_set integer not null references validation_row_sets (key) on delete cascade,
        row_number integer not null,
        date text not null,
        entity integer not null,
        impressions text not null,
        clicks text not null,
        spend text not null,
        conversions text not null,
        conversion_value text not null,
        currency text,
        primary key (row_set, row_number),
        foreign key (row_set, entity) references validated_entities (row_set, number) on delete cascade
      ) without rowid;

      insert into validation_row_sets (validation_id)
        select distinct validation_id from validated_rows;

      insert into validated_entities (row_set, number, campaign_external_id, campaign_name, ad_set_external_id, ad_set_name,
          ad_external_id, ad_name)
        select s.key, row_number() over (partition by s.key order by min(r.row_number)) - 1,
               r.campaign_external_id, r.campaign_name, r.ad_set_external_id, r.ad_set_name, r.ad_external_id, r.ad_name
          from validated_rows r join validation_row_sets s on s.validation_id = r.validation_id
         group by s.key, r.campaign_external_id, r.campaign_name, r.ad_set_external_id, r.ad_set_name, r.ad_external_id, r.ad_name;

      -- Each row finds its chain through this index (dropped after): without it, a store of 100,000
      -- rows took 18 s to move, comparing every row with every chain of its validation.
      create index validated_entities_moving on validated_entities (row_set, campaign_external_id, campaign_name,
        ad_set_external_id, ad_set_name, ad_external_id, ad_name);

      insert into validated_facts (row_set, row_number, date, entity, impressions, clicks, spend, conversions, conversion_value,
          currency)
        select s.key, r.row_number, r.date, e.number, r.impressions, r.clicks, r.spend, r.conversions, r.conversion_value, r.currency
          from validated_rows r
          join validation_row_sets s on s.validation_id = r.validation_id
          join validated_entities e on e.row_set = s.key
           and e.campaign_external_id = r.campaign_external_id and e.campaign_name = r.campaign_name
           and e.ad_set_external_id is r.ad_set_external_id and e.ad_set_name is r.ad_set_name
           and e.ad_external_id is r.ad_external_id and e.ad_name is r.ad_name;

      drop index validated_entities_moving;
      drop table validated_rows;

      create view validated_rows as
        select s.validation_id, f.row_number, f.date, e.campaign_external_id, e.campaign_name, e.ad_set_external_id,
               e.ad_set_name, e.ad_external_id, e.ad_name, f.impressions, f.clicks, f.spend, f.conversions,
               f.conversion_value, f.currency
          from validated_facts f
          join validation_row_sets s on s.key = f.row_set
          join validated_entities e on e.row_set = f.row_set and e.number = f.entity;
    `);
  },
};
