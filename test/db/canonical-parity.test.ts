import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_LIMITS, CanonicalRow, Level, Platform } from '../../shared/canonical.ts';
import { FILE_LIMITS } from '../../shared/errors.ts';
import { WorkspaceRole } from '../../shared/ipc-contract.ts';
import { UploadMode, UploadStatus } from '../../shared/report.ts';
import { FACT_BATCH_ROWS, STAGE_BATCH_ROWS } from '../../electron/engine/upload/protocol.ts';
import { CanonicalGate } from '../../electron/engine/validate/canonical-gate.ts';
import { callRpc, failureOf } from './as-user.ts';
import { connectFreshDatabase } from './connect.ts';
import { createTenant, makeRows, type Tenant } from './seed.ts';
import { begin, upload, type Upload } from './upload.ts';

/**
 * The canonical row is defined once (shared/canonical.ts) and the server checks every staged payload
 * itself (metricdrop_private.first_row_problem). The two must agree on every payload: a row the app
 * accepts and the server refuses fails a whole upload at staging; a row the app refuses and the
 * server would keep is data lost for nothing. One list of payloads, good and bad, at each boundary.
 */

let db: pg.Client;
beforeAll(async () => {
  ({ db } = await connectFreshDatabase());
});
afterAll(async () => {
  await db?.end();
});

type Payload = Record<string, unknown>;
const L = CANONICAL_LIMITS;

const campaignRow: Payload = {
  date: '2025-09-01',
  campaign_external_id: '120215553310760183',
  campaign_name: 'Prospecting | US',
  impressions: '1200',
  clicks: '35',
  spend: '152.73',
  conversions: '3.5',
  conversion_value: '980',
  currency: 'USD',
};
const adRow: Payload = {
  ...campaignRow,
  ad_set_external_id: '120215553310770183',
  ad_set_name: 'Broad',
  ad_external_id: '120215553310780183',
  ad_name: 'Video 15s',
};
const without = (p: Payload, ...keys: string[]): Payload => Object.fromEntries(Object.entries(p).filter(([k]) => !keys.includes(k)));
const digits = (n: number) => '9'.repeat(n);
/** A decimal of exactly `n` characters: digits, a point, digits. */
const decimalOf = (n: number) => `1.${'5'.repeat(n - 2)}`;

const PAYLOADS: [string, Payload][] = [
  ['a campaign row', campaignRow],
  ['an ad row', adRow],
  ['an ad-set row', without(adRow, 'ad_external_id', 'ad_name')],
  ['no currency', without(campaignRow, 'currency')],
  // counts: 18 digits kept, 19 and 20 refused
  ...(['impressions', 'clicks'] as const).flatMap((k): [string, Payload][] => [
    [`${k} of ${L.countDigits} digits`, { ...campaignRow, [k]: digits(L.countDigits) }],
    [`${k} of ${L.countDigits + 1} digits`, { ...campaignRow, [k]: digits(L.countDigits + 1) }],
    [`${k} of 20 digits`, { ...campaignRow, [k]: '12345678901234567890' }],
    [`${k} 0`, { ...campaignRow, [k]: '0' }],
    [`${k} with a leading zero`, { ...campaignRow, [k]: '01' }],
    [`${k} with a fraction`, { ...campaignRow, [k]: '1.5' }],
    [`${k} negative`, { ...campaignRow, [k]: '-1' }],
    [`${k} as a JSON number`, { ...campaignRow, [k]: 12 }],
    [`${k} empty`, { ...campaignRow, [k]: '' }],
    [`${k} missing`, without(campaignRow, k)],
    [`${k} null`, { ...campaignRow, [k]: null }],
  ]),
  // amounts: 40 characters kept, 41 refused
  ...(['spend', 'conversions', 'conversion_value'] as const).flatMap((k): [string, Payload][] => [
    [`${k} of ${L.decimalChars} characters`, { ...campaignRow, [k]: decimalOf(L.decimalChars) }],
    [`${k} of ${L.decimalChars + 1} characters`, { ...campaignRow, [k]: decimalOf(L.decimalChars + 1) }],
    [`${k} of ${L.decimalChars} digits, no point`, { ...campaignRow, [k]: digits(L.decimalChars) }],
    [`${k} of ${L.decimalChars + 1} digits, no point`, { ...campaignRow, [k]: digits(L.decimalChars + 1) }],
    [`${k} 0`, { ...campaignRow, [k]: '0' }],
    [`${k} ending in a point`, { ...campaignRow, [k]: '1.' }],
    [`${k} starting with a point`, { ...campaignRow, [k]: '.5' }],
    [`${k} negative`, { ...campaignRow, [k]: '-0.5' }],
    [`${k} with a comma`, { ...campaignRow, [k]: '1,5' }],
    [`${k} in scientific notation`, { ...campaignRow, [k]: '1e3' }],
    [`${k} as a JSON number`, { ...campaignRow, [k]: 1.5 }],
    [`${k} missing`, without(campaignRow, k)],
  ]),
  // dates
  ['a leap day', { ...campaignRow, date: '2024-02-29' }],
  ['a leap day in a common year', { ...campaignRow, date: '2025-02-29' }],
  ['a leap day in 2000', { ...campaignRow, date: '2000-02-29' }],
  ['a leap day in 1900', { ...campaignRow, date: '1900-02-29' }],
  ['31 April', { ...campaignRow, date: '2025-04-31' }],
  ['month 13', { ...campaignRow, date: '2025-13-01' }],
  ['day 00', { ...campaignRow, date: '2025-01-00' }],
  ['year 0000', { ...campaignRow, date: '0000-01-01' }],
  ['year 0001', { ...campaignRow, date: '0001-01-01' }],
  ['year 9999', { ...campaignRow, date: '9999-12-31' }],
  ['an unpadded date', { ...campaignRow, date: '2025-9-1' }],
  ['a date and time', { ...campaignRow, date: '2025-09-01T00:00:00Z' }],
  ['no date', without(campaignRow, 'date')],
  // IDs and names: 64 and 1024 characters (code points, as PostgreSQL counts), never blank
  ...(['campaign_external_id', 'ad_set_external_id', 'ad_external_id'] as const).flatMap((k): [string, Payload][] => [
    [`${k} of ${L.externalIdChars} characters`, { ...adRow, [k]: 'x'.repeat(L.externalIdChars) }],
    [`${k} of ${L.externalIdChars + 1} characters`, { ...adRow, [k]: 'x'.repeat(L.externalIdChars + 1) }],
    [`${k} of ${L.externalIdChars} emoji`, { ...adRow, [k]: '🌙'.repeat(L.externalIdChars) }],
    [`${k} of ${L.externalIdChars + 1} emoji`, { ...adRow, [k]: '🌙'.repeat(L.externalIdChars + 1) }],
    [`${k} empty`, { ...adRow, [k]: '' }],
    [`${k} of spaces`, { ...adRow, [k]: '   ' }],
    [`${k} of a tab`, { ...adRow, [k]: '\t' }],
    // eslint-disable-next-line no-loss-of-precision -- an 18-digit ID a spreadsheet already rounded
    [`${k} as a JSON number`, { ...adRow, [k]: 120215553310760183 }],
  ]),
  ...(['campaign_name', 'ad_set_name', 'ad_name'] as const).flatMap((k): [string, Payload][] => [
    [`${k} of ${L.nameChars} characters`, { ...adRow, [k]: 'n'.repeat(L.nameChars) }],
    [`${k} of ${L.nameChars + 1} characters`, { ...adRow, [k]: 'n'.repeat(L.nameChars + 1) }],
    [`${k} of ${L.nameChars} emoji`, { ...adRow, [k]: '🌙'.repeat(L.nameChars) }],
    [`${k} of ${L.nameChars + 1} emoji`, { ...adRow, [k]: '🌙'.repeat(L.nameChars + 1) }],
    [`${k} of ${L.nameChars} accented letters`, { ...adRow, [k]: 'é'.repeat(L.nameChars) }],
    [`${k} of spaces`, { ...adRow, [k]: ' ' }],
    [`${k} with spaces around`, { ...adRow, [k]: '  Brand  ' }],
    [`${k} with a NUL character`, { ...adRow, [k]: 'Brand\u0000' }],
    [`${k} with a lone surrogate`, { ...adRow, [k]: 'Brand \ud83c' }],
    [`${k} null`, { ...adRow, [k]: null }],
  ]),
  // shapes
  ['an ad set id without its name', without(adRow, 'ad_set_name', 'ad_external_id', 'ad_name')],
  ['an ad set name without its id', without(adRow, 'ad_set_external_id', 'ad_external_id', 'ad_name')],
  ['an ad id without its name', without(adRow, 'ad_name')],
  ['an ad without its ad set', without(adRow, 'ad_set_external_id', 'ad_set_name')],
  ['a field the row does not have', { ...campaignRow, reach: '10' }],
  ['no campaign id', without(campaignRow, 'campaign_external_id')],
  // currency
  ['currency in lower case', { ...campaignRow, currency: 'usd' }],
  ['currency of two letters', { ...campaignRow, currency: 'US' }],
  ['currency as a sign', { ...campaignRow, currency: '$' }],
  ['currency null', { ...campaignRow, currency: null }],
];

/** The level the server is told at begin_upload: the finest level the payload's keys name. */
function levelOf(p: Payload): string {
  if ('ad_external_id' in p || 'ad_name' in p) return 'ad';
  if ('ad_set_external_id' in p || 'ad_set_name' in p) return 'ad_set';
  return 'campaign';
}

/** The server's verdict: `first_row_problem` on the payload as supabase-js would send it (JSON text). */
async function serverAccepts(p: Payload): Promise<{ ok: boolean; why: string }> {
  const currency = typeof p.currency === 'string' && /^[A-Z]{3}$/.test(p.currency) ? p.currency : 'USD';
  try {
    const r = await db.query<{ field: string | null; problem: string | null }>(
      'select field, problem from metricdrop_private.first_row_problem($1::jsonb, $2, $3)',
      [JSON.stringify([{ row_number: 2, payload: p }]), levelOf(p), currency],
    );
    const bad = r.rows[0];
    return bad ? { ok: false, why: `${bad.field} ${bad.problem}` } : { ok: true, why: '' };
  } catch (err) {
    // PostgreSQL refuses some JSON text outright (a NUL character, a lone surrogate): refused as well.
    return { ok: false, why: `not accepted as jsonb: ${(err as Error).message}` };
  }
}

describe('the canonical row (zod) and the server (first_row_problem) give the same verdict', () => {
  for (const [name, payload] of PAYLOADS) {
    it(name, async () => {
      const server = await serverAccepts(payload);
      const local = CanonicalRow.safeParse(payload);
      const why = local.success ? server.why : local.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      expect(
        local.success,
        `${name}: zod ${local.success ? 'accepts' : 'refuses'}, server ${server.ok ? 'accepts' : 'refuses'} (${why})`,
      ).toBe(server.ok);
    });
  }

  it("the validator's gate gives zod's verdict on the same payloads (string fields)", () => {
    const gate = new CanonicalGate();
    for (const [name, p] of PAYLOADS) {
      if (Object.values(p).some((v) => typeof v !== 'string')) continue;
      const keys = Object.keys(CanonicalRow.shape) as (keyof typeof CanonicalRow.shape)[];
      const fieldsOk = keys.every((k) => gate.fieldProblem(k, p[k] as string | undefined) === null);
      const ok = fieldsOk && gate.shapeProblems(p as Record<string, string>, Object.keys(p).join()).length === 0;
      expect(ok, name).toBe(CanonicalRow.safeParse(p).success);
    }
  });

  it('covers both verdicts at every boundary', async () => {
    const verdicts: boolean[] = [];
    for (const [, p] of PAYLOADS) verdicts.push((await serverAccepts(p)).ok);
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(20);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(50);
  });
});

/**
 * A payload as the app packs it for stage_batch (040's format), or null when the format cannot
 * carry it (a field missing or not text, or one the canonical row does not have).
 */
function packedOf(p: Payload, rowNumber: number): Record<string, unknown> | null {
  const text = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : undefined);
  const known = ['date', 'campaign_external_id', 'campaign_name', 'ad_set_external_id', 'ad_set_name', 'ad_external_id', 'ad_name'];
  const metrics = ['impressions', 'clicks', 'spend', 'conversions', 'conversion_value'];
  if (Object.keys(p).some((k) => ![...known, ...metrics, 'currency'].includes(k))) return null;
  if (Object.values(p).some((v) => typeof v !== 'string') || !text('date') || metrics.some((k) => text(k) === undefined)) return null;
  const level = levelOf(p);
  if ((level !== 'campaign') !== (text('ad_set_external_id') !== undefined && text('ad_set_name') !== undefined)) return null;
  if ((level === 'ad') !== (text('ad_external_id') !== undefined && text('ad_name') !== undefined)) return null;
  const line = [String(rowNumber), '0', '0', ...metrics.map((k) => text(k)!)];
  if (text('currency') !== undefined) line.push('0');
  return {
    campaigns: [[text('campaign_external_id') ?? '', text('campaign_name') ?? '']],
    ...(level !== 'campaign' ? { ad_sets: [[text('ad_set_external_id'), text('ad_set_name'), 0]] } : {}),
    ...(level === 'ad' ? { ads: [[text('ad_external_id'), text('ad_name'), 0]] } : {}),
    dates: [text('date')],
    ...(text('currency') !== undefined ? { currencies: [text('currency')] } : {}),
    rows: line.join(','),
  };
}

describe('stage_batch, which checks each entity and date of a packed batch once, gives the same verdict', () => {
  let t: Tenant;
  const uploads = new Map<string, Upload>();
  beforeAll(async () => {
    t = await createTenant(db, 'parity');
    for (const level of ['campaign', 'ad_set', 'ad'] as const) {
      // Room for every payload the list holds (begin_upload is told how many rows will come).
      const room = makeRows({ level, days: 200 }).slice(0, PAYLOADS.length);
      const u = upload({ actor: t.member, workspaceId: t.workspaceId, clientId: t.clientId, rows: room, level });
      await begin(db, u);
      uploads.set(level, u);
    }
  });

  it('on every payload of the list the packed format can carry', async () => {
    let carried = 0;
    for (const [i, [name, p]] of PAYLOADS.entries()) {
      const batch = packedOf(p, i + 2);
      if (!batch) continue;
      carried++;
      const u = uploads.get(levelOf(p))!;
      const staged = await failureOf(callRpc(db, t.member, 'stage_batch', { p_upload_id: u.uploadId, p_batch_no: i, p_batch: batch })).then(
        (f) => ({ ok: false, why: f.message }),
        () => ({ ok: true, why: '' }),
      );
      const server = await serverAccepts(p);
      expect(
        staged.ok,
        `${name}: first_row_problem ${server.ok ? 'accepts' : `refuses (${server.why})`}, stage_batch ${staged.ok ? 'accepts' : `refuses (${staged.why})`}`,
      ).toBe(server.ok);
    }
    expect(carried).toBeGreaterThan(60);
  });
});

describe("the server's list of canonical fields is the schema's", () => {
  it('canonical_fields() names exactly the keys of CanonicalRow, and is the list first_row_problem refuses other keys by', async () => {
    const r = await db.query<{ fields: string[] }>('select metricdrop_private.canonical_fields() as fields');
    expect([...r.rows[0]!.fields].sort()).toEqual(Object.keys(CanonicalRow.shape).sort());
    // Each place the payload's keys are checked (091: item_problem, and first_unknown_field for the
    // sentence) subtracts that list, not one of its own.
    const defs = await db.query<{ def: string }>(
      `select pg_get_functiondef(p.oid) as def from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'metricdrop_private' and p.proname in ('first_row_problem', 'item_problem', 'first_unknown_field')`,
    );
    expect(defs.rows).toHaveLength(3);
    const subtracted = defs.rows.flatMap((d) => [...d.def.matchAll(/\bp_payload - ([^)]*\)?)/g)].map((m) => m[1]!));
    expect(subtracted.length).toBeGreaterThanOrEqual(2);
    for (const list of subtracted) expect(list).toBe('metricdrop_private.canonical_fields()');
  });
});

describe("the server's limits and value lists are the app's (070)", () => {
  it('the canonical lengths, the file limits and the platforms and levels', async () => {
    const r = await db.query<Record<string, unknown>>(`select
      metricdrop_private.count_max_digits() as "countDigits", metricdrop_private.decimal_max_chars() as "decimalChars",
      metricdrop_private.external_id_max_chars() as "externalIdChars", metricdrop_private.name_max_chars() as "nameChars",
      metricdrop_private.max_file_bytes()::integer as "maxFileBytes", metricdrop_private.max_upload_rows() as "maxRowsPerUpload",
      metricdrop_private.platforms() as platforms, metricdrop_private.entity_types() as levels`);
    const { countDigits, decimalChars, externalIdChars, nameChars, maxFileBytes, maxRowsPerUpload, platforms, levels } = r.rows[0]!;
    expect({ countDigits, decimalChars, externalIdChars, nameChars }).toEqual(CANONICAL_LIMITS);
    expect({ maxFileBytes, maxRowsPerUpload }).toEqual(FILE_LIMITS);
    expect(platforms).toEqual(Platform.options);
    expect(levels).toEqual(Level.options);
  });

  it('the batch sizes the upload cuts its rows by, and the upload modes and statuses it parses', async () => {
    const r = await db.query<Record<string, unknown>>(`select
      metricdrop_private.max_stage_batch_rows() as "stageBatchRows", metricdrop_private.fact_batch_size() as "factBatchRows",
      metricdrop_private.upload_modes() as modes, metricdrop_private.upload_statuses() as statuses`);
    const { stageBatchRows, factBatchRows, modes, statuses } = r.rows[0]!;
    // The runner counts fact batches as ceil(rows / FACT_BATCH_ROWS) and packs at most STAGE_BATCH_ROWS rows a batch.
    expect({ stageBatchRows, factBatchRows }).toEqual({ stageBatchRows: STAGE_BATCH_ROWS, factBatchRows: FACT_BATCH_ROWS });
    expect(modes).toEqual(UploadMode.options);
    expect(statuses).toEqual(UploadStatus.options);
  });

  it('the workspace roles (the server lists them by rank, the app from the most to the least)', async () => {
    const r = await db.query<{ roles: string[] }>('select metricdrop_private.workspace_roles() as roles');
    expect(r.rows[0]!.roles).toEqual([...WorkspaceRole.options].reverse());
  });
});
