import type Database from 'better-sqlite3';
import type { Level, Platform } from '../../../shared/canonical.ts';

/**
 * The local mirror: the entities and facts this computer uploaded for each client and platform
 * (tables of store migration 002), so a dry run offline can plan against them.
 */

export interface KnownEntity {
  name: string;
  parentExternalId: string | null;
}

/** One uploaded fact's values, as the canonical row's decimal strings. */
export interface KnownFact {
  impressions: string;
  clicks: string;
  spend: string;
  conversions: string;
  conversion_value: string;
}

/** What this computer has uploaded before for one client and platform. */
export interface LocalKnowledge {
  entity(type: Level, externalId: string): KnownEntity | undefined;
  fact(key: string): KnownFact | undefined;
}

/**
 * After a completed COMMIT: remember its entities and facts so later offline dry runs plan against
 * them. Copied inside SQLite from the validation's stored rows, without a round trip through
 * JavaScript per row. The fact key matches `factKey` (local-plan.ts).
 */
export function recordCommittedValidation(
  db: Database.Database,
  clientId: string,
  platform: Platform,
  uploadId: string,
  validationId: string,
): void {
  db.transaction(() => {
    db.prepare(
      `insert into local_entities (client_id, platform, entity_type, external_id, name, parent_external_id)
       select @clientId, @platform, 'campaign', campaign_external_id, max(campaign_name), null
         from validated_rows where validation_id = @validationId group by campaign_external_id
       union all
       select @clientId, @platform, 'ad_set', ad_set_external_id, max(ad_set_name), max(campaign_external_id)
         from validated_rows where validation_id = @validationId and ad_set_external_id is not null group by ad_set_external_id
       union all
       select @clientId, @platform, 'ad', ad_external_id, max(ad_name), max(ad_set_external_id)
         from validated_rows where validation_id = @validationId and ad_external_id is not null group by ad_external_id
       on conflict do update set name = excluded.name, parent_external_id = excluded.parent_external_id`,
    ).run({ clientId, platform, validationId });
    db.prepare(
      `insert into local_facts (client_id, platform, fact_key, impressions, clicks, spend, conversions, conversion_value, upload_id)
       select @clientId, @platform,
              date || char(1) || campaign_external_id || char(1) || coalesce(ad_set_external_id, '') || char(1) || coalesce(ad_external_id, ''),
              impressions, clicks, spend, conversions, conversion_value, @uploadId
         from validated_rows where validation_id = @validationId
       on conflict do update set impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
         conversions = excluded.conversions, conversion_value = excluded.conversion_value, upload_id = excluded.upload_id`,
    ).run({ clientId, platform, validationId, uploadId });
  })();
}

export function localKnowledge(db: Database.Database, clientId: string, platform: Platform): LocalKnowledge {
  const entity = db.prepare(
    'select name, parent_external_id from local_entities where client_id = ? and platform = ? and entity_type = ? and external_id = ?',
  );
  const fact = db.prepare(
    'select impressions, clicks, spend, conversions, conversion_value from local_facts where client_id = ? and platform = ? and fact_key = ?',
  );
  return {
    entity(type: Level, externalId: string): KnownEntity | undefined {
      const r = entity.get(clientId, platform, type, externalId) as { name: string; parent_external_id: string | null } | undefined;
      return r ? { name: r.name, parentExternalId: r.parent_external_id } : undefined;
    },
    fact(key: string): KnownFact | undefined {
      return fact.get(clientId, platform, key) as KnownFact | undefined;
    },
  };
}
