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
  /** The external ids of the entities of that name under that parent (a campaign: `null`), as matching by name looks them up. */
  named(type: Level, name: string, parentExternalId: string | null): string[];
  fact(key: string): KnownFact | undefined;
}

/** One entity of an upload, as the local mirror resolves it (local-plan.ts `resolveLocally`). */
export interface MirrorResolution {
  type: Level;
  /** The upload's external id (a `name:` key, or the platform's ID). */
  externalId: string;
  /** The entity of the mirror it is (`externalId` itself when new). */
  mirrorId: string;
  /** A platform ID taking over the entity created by name (`mirrorId`): the mirror's entity gets this ID. */
  adopts: boolean;
}

/**
 * After a completed COMMIT: remember its entities and facts so later offline dry runs plan against
 * them, as the server resolved them: an entity matched by name is the mirror's entity of that name
 * (not a second one), and a platform ID that took over an entity created by name renames it, with
 * its facts. Copied inside SQLite from the validation's stored rows, without a round trip through
 * JavaScript per row; `resolutions` lists only the entities that are not themselves (few). The fact
 * key matches `factKey` (local-plan.ts).
 */
export function recordCommittedValidation(
  db: Database.Database,
  clientId: string,
  platform: Platform,
  uploadId: string,
  validationId: string,
  resolutions: readonly MirrorResolution[] = [],
): void {
  db.transaction(() => {
    for (const r of resolutions.filter((x) => x.adopts)) adoptEntity(db, clientId, platform, r.type, r.mirrorId, r.externalId);
    db.exec(
      'create temp table if not exists mirror_alias (entity_type text not null, from_id text not null, to_id text not null, primary key (entity_type, from_id))',
    );
    db.exec('delete from mirror_alias');
    const alias = db.prepare('insert into mirror_alias (entity_type, from_id, to_id) values (?, ?, ?)');
    for (const r of resolutions) if (!r.adopts && r.mirrorId !== r.externalId) alias.run(r.type, r.externalId, r.mirrorId);
    const as = (type: Level, column: string) =>
      `coalesce((select to_id from mirror_alias where entity_type = '${type}' and from_id = ${column}), ${column})`;
    db.prepare(
      `insert into local_entities (client_id, platform, entity_type, external_id, name, parent_external_id)
       select @clientId, @platform, 'campaign', ${as('campaign', 'campaign_external_id')}, max(campaign_name), null
         from validated_rows where validation_id = @validationId group by campaign_external_id
       union all
       select @clientId, @platform, 'ad_set', ${as('ad_set', 'ad_set_external_id')}, max(ad_set_name), max(${as('campaign', 'campaign_external_id')})
         from validated_rows where validation_id = @validationId and ad_set_external_id is not null group by ad_set_external_id
       union all
       select @clientId, @platform, 'ad', ${as('ad', 'ad_external_id')}, max(ad_name), max(${as('ad_set', 'ad_set_external_id')})
         from validated_rows where validation_id = @validationId and ad_external_id is not null group by ad_external_id
       on conflict do update set name = excluded.name, parent_external_id = excluded.parent_external_id`,
    ).run({ clientId, platform, validationId });
    db.prepare(
      `insert into local_facts (client_id, platform, fact_key, impressions, clicks, spend, conversions, conversion_value, upload_id)
       select @clientId, @platform,
              date || char(1) || ${as('campaign', 'campaign_external_id')} || char(1) || coalesce(${as('ad_set', 'ad_set_external_id')}, '')
                || char(1) || coalesce(${as('ad', 'ad_external_id')}, ''),
              impressions, clicks, spend, conversions, conversion_value, @uploadId
         from validated_rows where validation_id = @validationId
       on conflict do update set impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
         conversions = excluded.conversions, conversion_value = excluded.conversion_value, upload_id = excluded.upload_id`,
    ).run({ clientId, platform, validationId, uploadId });
    db.exec('delete from mirror_alias');
  })();
}

/** The mirror's entity created by name gets its platform ID, as on the server: its children and facts follow. */
function adoptEntity(db: Database.Database, clientId: string, platform: Platform, type: Level, nameKey: string, id: string): void {
  const child: Record<Level, Level | null> = { campaign: 'ad_set', ad_set: 'ad', ad: null };
  db.prepare('update local_entities set external_id = ? where client_id = ? and platform = ? and entity_type = ? and external_id = ?').run(
    id,
    clientId,
    platform,
    type,
    nameKey,
  );
  const childType = child[type];
  if (childType)
    db.prepare(
      'update local_entities set parent_external_id = ? where client_id = ? and platform = ? and entity_type = ? and parent_external_id = ?',
    ).run(id, clientId, platform, childType, nameKey);
  // A fact key is its ids joined by char(1); a name key is one whole part of it (name keys never repeat by chance).
  db.prepare(
    `update local_facts set fact_key = substr(replace(char(1) || fact_key || char(1), char(1) || @from || char(1), char(1) || @to || char(1)), 2,
       length(replace(char(1) || fact_key || char(1), char(1) || @from || char(1), char(1) || @to || char(1))) - 2)
     where client_id = @clientId and platform = @platform and instr(char(1) || fact_key || char(1), char(1) || @from || char(1)) > 0`,
  ).run({ from: nameKey, to: id, clientId, platform });
}

/** A validation's distinct entities per level, with their name, parent and first row, in file order. */
export function validationEntities(
  db: Database.Database,
  validationId: string,
): Array<{ type: Level; externalId: string; name: string; parentExternalId: string | null; firstRow: number }> {
  return db
    .prepare(
      `select 'campaign' as type, campaign_external_id as externalId, campaign_name as name, null as parentExternalId, min(row_number) as firstRow
         from validated_rows where validation_id = @validationId group by campaign_external_id
       union all
       select 'ad_set', ad_set_external_id, ad_set_name, campaign_external_id, min(row_number)
         from validated_rows where validation_id = @validationId and ad_set_external_id is not null and ad_set_name is not null
         group by ad_set_external_id
       union all
       select 'ad', ad_external_id, ad_name, ad_set_external_id, min(row_number)
         from validated_rows where validation_id = @validationId and ad_external_id is not null and ad_name is not null
         group by ad_external_id
       order by 5`,
    )
    .all({ validationId }) as Array<{ type: Level; externalId: string; name: string; parentExternalId: string | null; firstRow: number }>;
}

export function localKnowledge(db: Database.Database, clientId: string, platform: Platform): LocalKnowledge {
  const entity = db.prepare(
    'select name, parent_external_id from local_entities where client_id = ? and platform = ? and entity_type = ? and external_id = ?',
  );
  const fact = db.prepare(
    'select impressions, clicks, spend, conversions, conversion_value from local_facts where client_id = ? and platform = ? and fact_key = ?',
  );
  const named = db
    .prepare(
      `select external_id from local_entities
       where client_id = ? and platform = ? and entity_type = ? and name = ? and parent_external_id is ? order by external_id`,
    )
    .pluck();
  return {
    named(type: Level, name: string, parentExternalId: string | null): string[] {
      return named.all(clientId, platform, type, name, parentExternalId) as string[];
    },
    entity(type: Level, externalId: string): KnownEntity | undefined {
      const r = entity.get(clientId, platform, type, externalId) as { name: string; parent_external_id: string | null } | undefined;
      return r ? { name: r.name, parentExternalId: r.parent_external_id } : undefined;
    },
    fact(key: string): KnownFact | undefined {
      return fact.get(clientId, platform, key) as KnownFact | undefined;
    },
  };
}
