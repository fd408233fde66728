import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { CanonicalRow } from '../../shared/canonical.ts';
import type { Actor } from './as-user.ts';

/** Seeding runs as the superuser, the way an administrator sets up a workspace. */

export async function createUser(c: pg.Client, email: string): Promise<Actor> {
  const id = randomUUID();
  await c.query(`insert into auth.users (id, email, aud, role) values ($1, $2, 'authenticated', 'authenticated')`, [id, email]);
  return { id, email };
}

export async function createWorkspace(c: pg.Client, name: string): Promise<string> {
  const r = await c.query<{ id: string }>('insert into public.workspaces (name) values ($1) returning id', [name]);
  return r.rows[0]!.id;
}

export async function addMember(c: pg.Client, workspaceId: string, user: Actor, role: 'owner' | 'admin' | 'member' | 'viewer') {
  await c.query('insert into public.workspace_members (workspace_id, user_id, role) values ($1, $2, $3)', [workspaceId, user.id, role]);
}

export async function createClientRow(c: pg.Client, workspaceId: string, name: string, currency = 'USD'): Promise<string> {
  const r = await c.query<{ id: string }>('insert into public.clients (workspace_id, name, currency) values ($1, $2, $3) returning id', [
    workspaceId,
    name,
    currency,
  ]);
  return r.rows[0]!.id;
}

/** A workspace with an owner, a member, a viewer and one client, all named after `label`. */
export interface Tenant {
  workspaceId: string;
  clientId: string;
  owner: Actor;
  member: Actor;
  viewer: Actor;
}

export async function createTenant(c: pg.Client, label: string, currency = 'USD'): Promise<Tenant> {
  const workspaceId = await createWorkspace(c, `${label} Agency`);
  const owner = await createUser(c, `owner.${label}.${randomUUID().slice(0, 8)}@example.com`);
  const member = await createUser(c, `member.${label}.${randomUUID().slice(0, 8)}@example.com`);
  const viewer = await createUser(c, `viewer.${label}.${randomUUID().slice(0, 8)}@example.com`);
  await addMember(c, workspaceId, owner, 'owner');
  await addMember(c, workspaceId, member, 'member');
  await addMember(c, workspaceId, viewer, 'viewer');
  const clientId = await createClientRow(c, workspaceId, `${label} Shoes`, currency);
  return { workspaceId, clientId, owner, member, viewer };
}

export type Level = 'campaign' | 'ad_set' | 'ad';

export interface RowsSpec {
  level: Level;
  campaigns?: number;
  adSetsPerCampaign?: number;
  adsPerAdSet?: number;
  days?: number;
  firstDate?: string;
  /** Spreadsheet row number of the first data row (a header above it). */
  firstRow?: number;
  /** Prefix of external ids, so tests can make distinct entity sets. */
  idPrefix?: string;
  /** Changes every metric deterministically (re-upload with new values). */
  variant?: number;
}

export interface StagedRow {
  row_number: number;
  payload: CanonicalRow;
}

/** External ids as makeRows writes them (long numeric ids, kept as text). */
export const campaignExternalId = (ci: number, prefix = '2385') => `${prefix}0000000${ci}`;
export const adSetExternalId = (ci: number, si: number, prefix = '2385') => `${prefix}1000${ci}0${si}`;
export const adExternalId = (ci: number, si: number, ai: number, prefix = '2385') => `${prefix}2000${ci}0${si}0${ai}`;

/**
 * Realistic canonical rows: `days` days × campaigns × ad sets × ads at the given level, with
 * spend like "1234.56", fractional conversions, and long numeric ids kept as text.
 */
export function makeRows(spec: RowsSpec): StagedRow[] {
  const campaigns = spec.campaigns ?? 2;
  const adSets = spec.level === 'campaign' ? 1 : (spec.adSetsPerCampaign ?? 2);
  const ads = spec.level === 'ad' ? (spec.adsPerAdSet ?? 2) : 1;
  const days = spec.days ?? 3;
  const first = new Date(`${spec.firstDate ?? '2024-03-01'}T00:00:00Z`);
  const prefix = spec.idPrefix ?? '2385';
  const variant = spec.variant ?? 0;
  const rows: StagedRow[] = [];
  let rowNumber = spec.firstRow ?? 2;
  for (let d = 0; d < days; d++) {
    const date = new Date(first.getTime() + d * 86_400_000).toISOString().slice(0, 10);
    for (let ci = 0; ci < campaigns; ci++) {
      for (let si = 0; si < adSets; si++) {
        for (let ai = 0; ai < ads; ai++) {
          const seed = (d + 1) * 7919 + ci * 104729 + si * 1299709 + ai * 15485863 + variant * 32452843;
          const impressions = 1000 + (seed % 50_000);
          const clicks = Math.floor(impressions / (20 + (seed % 30)));
          const cents = 100 + (seed % 250_000);
          const payload: CanonicalRow = {
            date,
            campaign_external_id: campaignExternalId(ci, prefix),
            campaign_name: `Spring Sale ${ci + 1}`,
            impressions: String(impressions),
            clicks: String(clicks),
            spend: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
            conversions: `${seed % 40}.${seed % 2 === 0 ? '5' : '0'}`,
            conversion_value: `${seed % 9000}.${String(seed % 100).padStart(2, '0')}`,
          };
          if (spec.level !== 'campaign') {
            payload.ad_set_external_id = adSetExternalId(ci, si, prefix);
            payload.ad_set_name = `Audience ${ci + 1}.${si + 1}`;
          }
          if (spec.level === 'ad') {
            payload.ad_external_id = adExternalId(ci, si, ai, prefix);
            payload.ad_name = `Creative ${ci + 1}.${si + 1}.${ai + 1}`;
          }
          rows.push({ row_number: rowNumber++, payload });
        }
      }
    }
  }
  return rows;
}

export function sha256Of(rows: StagedRow[]): string {
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}
