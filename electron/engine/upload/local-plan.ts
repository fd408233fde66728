import type { CanonicalRow, Level } from '../../../shared/canonical.ts';
import { AppError } from '../../../shared/errors.ts';
import { isNameKey } from '../../../shared/name-key.ts';
import type { MatchedByName, Plan, PlanCounts } from '../../../shared/report.ts';
import type { KnownFact, LocalKnowledge, MirrorResolution } from '../store/local-mirror.ts';
import { normaliseDecimal } from '../validate/decimal.ts';

/** The grain of `daily_metrics` in external ids: date, campaign, ad set, ad. */
export function factKey(row: Pick<CanonicalRow, 'date' | 'campaign_external_id' | 'ad_set_external_id' | 'ad_external_id'>): string {
  return [row.date, row.campaign_external_id, row.ad_set_external_id ?? '', row.ad_external_id ?? ''].join('\u0001');
}

/** Decimal strings compare equal when their values are equal: `1.50` is `1.5`. */
export function sameDecimal(a: string, b: string): boolean {
  const canonical = (s: string) => {
    const [int = '', frac = ''] = s.split('.');
    return normaliseDecimal(int, frac);
  };
  return canonical(a) === canonical(b);
}

export function sameFact(row: CanonicalRow, known: KnownFact): boolean {
  return (
    sameDecimal(row.impressions, known.impressions) &&
    sameDecimal(row.clicks, known.clicks) &&
    sameDecimal(row.spend, known.spend) &&
    sameDecimal(row.conversions, known.conversions) &&
    sameDecimal(row.conversion_value, known.conversion_value)
  );
}

/** One entity of an upload, first seen at `firstRow`. */
export interface UploadEntity {
  type: Level;
  externalId: string;
  name: string;
  parentExternalId: string | null;
  firstRow: number;
}

export type Verdict = 'create' | 'update' | 'unchanged';

export interface LocalResolution extends MirrorResolution {
  verdict: Verdict;
  /** For an entity keyed by name: found among the client's (`matched`) or to be created by name. */
  byName: 'matched' | 'created' | null;
  name: string;
}

const LEVELS: readonly Level[] = ['campaign', 'ad_set', 'ad'];
/** Names listed per level in `byName`, as the server lists them (supabase/README.md). */
const BY_NAME_NAMES = 20;

/**
 * The server's resolution of entities (supabase/migrations/030-032), against the local mirror, level
 * by level so each parent is resolved before its children:
 * - keyed by name (`name:`): the one entity of that name under the resolved parent (`unchanged`);
 *   none: created by name; several: CONFLICTING_DIMENSION, as the server refuses it;
 * - a platform ID the mirror knows: `update` when its name or resolved parent differ;
 * - a platform ID it does not know takes over the one entity of its name (under the same parent)
 *   that was created by name (`update`), unless another new ID of the upload claims it too.
 */
export function resolveLocally(entities: Iterable<UploadEntity>, known: LocalKnowledge): Map<string, LocalResolution> {
  const byLevel = new Map<Level, UploadEntity[]>(LEVELS.map((l) => [l, []]));
  for (const e of entities) byLevel.get(e.type)!.push(e);
  const out = new Map<string, LocalResolution>();
  const key = (type: Level, id: string) => `${type}\u0001${id}`;
  const parentOf = (e: UploadEntity): string | null => {
    if (e.parentExternalId === null) return null;
    const parentType: Level = e.type === 'ad' ? 'ad_set' : 'campaign';
    return out.get(key(parentType, e.parentExternalId))?.mirrorId ?? e.parentExternalId;
  };
  for (const level of LEVELS) {
    const list = [...byLevel.get(level)!].sort((a, b) => a.firstRow - b.firstRow);
    const takeovers = new Map<string, UploadEntity[]>();
    const pending: Array<{ e: UploadEntity; candidate: string | null }> = [];
    for (const e of list) {
      const parent = parentOf(e);
      const base = { type: level, externalId: e.externalId, name: e.name, adopts: false };
      if (isNameKey(e.externalId)) {
        const found = known.named(level, e.name, parent);
        if (found.length > 1) {
          throw new AppError(
            'CONFLICTING_DIMENSION',
            `Row ${e.firstRow}: "${e.name}" has no usable ID in this file, so it is matched by name, but this client already has ${found.length} ${level.replace('_', ' ')}s of that name (IDs ${found.join(', ')}). Upload the export as downloaded, with its ID column, so each row finds its own.`,
          );
        }
        const [one] = found;
        out.set(
          key(level, e.externalId),
          one === undefined
            ? { ...base, mirrorId: e.externalId, verdict: 'create', byName: 'created' }
            : { ...base, mirrorId: one, verdict: 'unchanged', byName: 'matched' },
        );
        continue;
      }
      const k = known.entity(level, e.externalId);
      if (k) {
        const same = k.name === e.name && k.parentExternalId === parent;
        out.set(key(level, e.externalId), { ...base, mirrorId: e.externalId, verdict: same ? 'unchanged' : 'update', byName: null });
        continue;
      }
      const candidates = known.named(level, e.name, parent).filter(isNameKey);
      const candidate = candidates.length === 1 ? candidates[0]! : null;
      if (candidate !== null) takeovers.set(candidate, [...(takeovers.get(candidate) ?? []), e]);
      pending.push({ e, candidate });
    }
    // Two new IDs of one name: neither takes the entity over (each is created), as on the server.
    for (const { e, candidate } of pending) {
      const adopts = candidate !== null && takeovers.get(candidate)!.length === 1;
      out.set(key(level, e.externalId), {
        type: level,
        externalId: e.externalId,
        name: e.name,
        mirrorId: adopts ? candidate : e.externalId,
        adopts,
        verdict: adopts ? 'update' : 'create',
        byName: null,
      });
    }
  }
  return out;
}

/** The entities of rows in file order (the first row of each), as `resolveLocally` takes them. */
export function entitiesOfRows(rows: Iterable<{ rowNumber: number; row: CanonicalRow }>): UploadEntity[] {
  const seen = new Set<string>();
  const out: UploadEntity[] = [];
  const add = (type: Level, externalId: string, name: string, parentExternalId: string | null, firstRow: number) => {
    const k = `${type}\u0001${externalId}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ type, externalId, name, parentExternalId, firstRow });
  };
  for (const { rowNumber, row } of rows) {
    add('campaign', row.campaign_external_id, row.campaign_name, null, rowNumber);
    if (row.ad_set_external_id !== undefined && row.ad_set_name !== undefined)
      add('ad_set', row.ad_set_external_id, row.ad_set_name, row.campaign_external_id, rowNumber);
    if (row.ad_external_id !== undefined && row.ad_name !== undefined)
      add('ad', row.ad_external_id, row.ad_name, row.ad_set_external_id ?? null, rowNumber);
  }
  return out;
}

function zero(): PlanCounts {
  return { create: 0, update: 0, unchanged: 0 };
}

/**
 * The dry run offline: what the upload would change, judged against what this computer uploaded
 * before, with the server's rules for entities matched by name (`resolveLocally`). It cannot see
 * uploads made from other computers, which is why the plan says `local`.
 */
export function computeLocalPlan(rows: ReadonlyArray<{ rowNumber: number; row: CanonicalRow }>, known: LocalKnowledge): Plan {
  const resolved = resolveLocally(entitiesOfRows(rows), known);
  const plan: Plan = { source: 'local', campaigns: zero(), adSets: zero(), ads: zero(), facts: zero() };
  const bucket: Record<Level, PlanCounts> = { campaign: plan.campaigns, ad_set: plan.adSets, ad: plan.ads };
  const byName = new Map<Level, MatchedByName>();
  for (const r of resolved.values()) {
    bucket[r.type][r.verdict]++;
    if (r.byName === null) continue;
    let b = byName.get(r.type);
    if (!b) byName.set(r.type, (b = { matched: 0, created: 0, matchedNames: [], createdNames: [] }));
    b[r.byName]++;
    const names = r.byName === 'matched' ? b.matchedNames : b.createdNames;
    if (names.length < BY_NAME_NAMES) names.push(r.name);
  }
  for (const [level, b] of byName) bucket[level].byName = b;
  const mirrorId = (type: Level, id: string | undefined) =>
    id === undefined ? undefined : (resolved.get(`${type}\u0001${id}`)?.mirrorId ?? id);
  for (const { row } of rows) {
    const f = known.fact(
      factKey({
        date: row.date,
        campaign_external_id: mirrorId('campaign', row.campaign_external_id)!,
        ad_set_external_id: mirrorId('ad_set', row.ad_set_external_id),
        ad_external_id: mirrorId('ad', row.ad_external_id),
      }),
    );
    if (!f) plan.facts.create++;
    else if (sameFact(row, f)) plan.facts.unchanged++;
    else plan.facts.update++;
  }
  return plan;
}
