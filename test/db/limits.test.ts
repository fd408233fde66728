import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectFreshDatabase } from './connect.ts';
import { asIdentity, beginAs, callRpc, expectRefusal, failureOf, newId } from './as-user.ts';
import { createClientRow, createTenant, makeRows, type Tenant } from './seed.ts';
import { begin, beginArgs, runUpload, upload, type Upload } from './upload.ts';

let url: string;
let db: pg.Client;

beforeAll(async () => {
  ({ db, url } = await connectFreshDatabase());
});
afterAll(async () => {
  await db?.end();
});

const rows = makeRows({ level: 'campaign', campaigns: 1, days: 2 });

function uploadFor(t: Tenant, extra: Partial<Upload> = {}): Upload {
  return upload({ actor: t.member, workspaceId: t.workspaceId, clientId: t.clientId, rows, level: 'campaign', ...extra });
}

async function uploadsOf(t: Tenant): Promise<number> {
  const r = await db.query<{ n: string }>('select count(*) n from data_uploads where workspace_id = $1', [t.workspaceId]);
  return Number(r.rows[0]?.n);
}

describe('file size and row count', () => {
  it('admits exactly 50 MB and refuses one byte more with FILE_TOO_LARGE', async () => {
    const t = await createTenant(db, 'size');
    await begin(db, uploadFor(t, { bytes: 52_428_800 }));
    const f = await expectRefusal(
      begin(db, uploadFor(t, { bytes: 52_428_801 })),
      'FILE_TOO_LARGE',
      /^The file is 50\.0 MB; one upload may be at most 50 MB\. Export a shorter date range\.$/,
    );
    expect(JSON.parse(f.detail ?? '{}')).toEqual({ bytes: 52_428_801, limit: 52_428_800 });
    expect(await uploadsOf(t)).toBe(1);
  });

  it('admits 100,000 rows and refuses 100,001 with TOO_MANY_ROWS', async () => {
    const t = await createTenant(db, 'rows');
    const ok = uploadFor(t);
    await callRpc(db, t.member, 'begin_upload', { ...beginArgs(ok), p_row_count: 100_000 });
    const big = uploadFor(t);
    await expectRefusal(
      callRpc(db, t.member, 'begin_upload', { ...beginArgs(big), p_row_count: 100_001 }),
      'TOO_MANY_ROWS',
      /^The file has 100001 data rows; one upload may have at most 100,000\./,
    );
  });

  it('refuses a stage batch of more than 5,000 rows', async () => {
    const t = await createTenant(db, 'batch');
    const many = makeRows({ level: 'campaign', campaigns: 10, days: 501 });
    const u = uploadFor(t, { rows: many });
    await begin(db, u);
    await expectRefusal(
      callRpc(db, t.member, 'stage_rows', { p_upload_id: u.uploadId, p_batch_no: 0, p_rows: many.slice(0, 5001) }),
      'INVALID_INPUT',
      /A batch holds 1 to 5,000 rows; batch 0 has 5001\./,
    );
  });
});

describe('kinds of data other than daily performance rows', () => {
  it.each(['demographic_breakdown', 'report', 'alert_resolution'])(
    'refuses %s with SCHEMA_INCOMPLETE and creates nothing',
    async (kind) => {
      const t = await createTenant(db, `kind-${kind}`);
      await expectRefusal(begin(db, uploadFor(t, { kind })), 'SCHEMA_INCOMPLETE', /^Only daily performance exports can be uploaded\./);
      expect(await uploadsOf(t)).toBe(0);
    },
  );

  it('says which data has no tables yet and what to export instead', async () => {
    const t = await createTenant(db, 'kind-message');
    await expectRefusal(
      begin(db, uploadFor(t, { kind: 'demographic_breakdown' })),
      'SCHEMA_INCOMPLETE',
      /^Only daily performance exports can be uploaded\. The database has no tables for demographic breakdown data yet; export the daily performance report instead\.$/,
    );
    await expectRefusal(
      begin(db, uploadFor(t, { kind: null as unknown as string })),
      'SCHEMA_INCOMPLETE',
      /no tables for this kind of data yet/,
    );
  });

  it('admits daily performance data, named or by default', async () => {
    const t = await createTenant(db, 'kind-ok');
    await begin(db, uploadFor(t, { kind: 'daily_performance' }));
    await begin(db, uploadFor(t));
    expect(await uploadsOf(t)).toBe(2);
  });
});

describe('currency and client', () => {
  it('a file in another currency than the client is CURRENCY_MISMATCH', async () => {
    const t = await createTenant(db, 'cur', 'EUR');
    const f = await expectRefusal(
      begin(db, uploadFor(t, { currency: 'USD' })),
      'CURRENCY_MISMATCH',
      /The file is in USD but client "cur Shoes" reports in EUR\./,
    );
    expect(JSON.parse(f.detail ?? '{}')).toEqual({ file_currency: 'USD', client_currency: 'EUR' });
    await begin(db, uploadFor(t, { currency: 'EUR' }));
  });

  it('a client of another workspace is CLIENT_NOT_FOUND', async () => {
    const t = await createTenant(db, 'client-a');
    const other = await createTenant(db, 'client-b');
    await expectRefusal(begin(db, uploadFor(t, { clientId: other.clientId })), 'CLIENT_NOT_FOUND');
  });

  it('bad arguments are INVALID_INPUT with what is expected', async () => {
    const t = await createTenant(db, 'args');
    await expectRefusal(
      begin(db, uploadFor(t, { platform: 'bing' as 'meta' })),
      'INVALID_INPUT',
      /platform must be meta, google or tiktok, not bing/,
    );
    await expectRefusal(begin(db, uploadFor(t, { sha256: 'ABC' })), 'INVALID_INPUT', /SHA-256 must be 64 lower-case hexadecimal/);
    for (const currency of ['usd', 'US', 'USDX'])
      await expectRefusal(
        begin(db, uploadFor(t, { currency })),
        'INVALID_INPUT',
        new RegExp(`^The currency must be an ISO 4217 code such as USD, not ${currency}\\.$`),
      );
    await expectRefusal(
      begin(db, uploadFor(t, { mode: 'COMMIT_NOW' as 'COMMIT' })),
      'INVALID_INPUT',
      /mode must be FULL_DRY_RUN or COMMIT/,
    );
  });
});

describe('concurrent uploads per workspace', () => {
  it('ten simultaneous begins on ten connections admit exactly three', async () => {
    const t = await createTenant(db, 'race');
    const clients = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        return c;
      }),
    );
    try {
      // Each connection opens its transaction and sets its identity first, then all call at once.
      const uploads = clients.map(() => uploadFor(t));
      await Promise.all(
        clients.map(async (c) => {
          await beginAs(c, t.member);
        }),
      );
      const outcomes = await Promise.all(
        clients.map(async (c, i) => {
          const u = uploads[i]!;
          const args = beginArgs(u);
          const names = Object.keys(args);
          try {
            await c.query(`select public.begin_upload(${names.map((n, k) => `${n} => $${k + 1}`).join(', ')})`, Object.values(args));
            await c.query('commit');
            return 'admitted';
          } catch (err) {
            await c.query('rollback');
            return (err as { hint?: string }).hint ?? (err as Error).message;
          }
        }),
      );
      expect(outcomes.filter((o) => o === 'admitted')).toHaveLength(3);
      expect(outcomes.filter((o) => o === 'CONCURRENCY_LIMIT')).toHaveLength(7);
      expect(await uploadsOf(t)).toBe(3);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });

  it('dry runs awaiting commit count; a finished or failed upload frees its slot', async () => {
    const t = await createTenant(db, 'slots');
    const dry = uploadFor(t, { mode: 'FULL_DRY_RUN' });
    await runUpload(db, dry); // staged: still holds a slot
    const a = uploadFor(t);
    const b = uploadFor(t);
    await begin(db, a);
    await begin(db, b);
    const f = await expectRefusal(begin(db, uploadFor(t)), 'CONCURRENCY_LIMIT', /already has 3 uploads in progress/);
    expect(JSON.parse(f.detail ?? '{}')).toEqual({ active: 3, limit: 3 });
    await callRpc(db, t.member, 'fail_upload', {
      p_upload_id: a.uploadId,
      p_code: 'CANCELLED',
      p_message: 'Cancelled by the user.',
      p_stage: 'begin',
    });
    await begin(db, uploadFor(t)); // the failed upload's slot
    await expectRefusal(begin(db, uploadFor(t)), 'CONCURRENCY_LIMIT');
  });

  it('a dry run past its 24 hours, or an upload past its 7 days, holds no slot even before the cleanup runs', async () => {
    const t = await createTenant(db, 'slots-stale');
    const dry = uploadFor(t, { mode: 'FULL_DRY_RUN' });
    await runUpload(db, dry);
    const old = uploadFor(t);
    await begin(db, old);
    const fresh = uploadFor(t);
    await begin(db, fresh);
    await expectRefusal(begin(db, uploadFor(t)), 'CONCURRENCY_LIMIT');
    await db.query(`update data_uploads set created_at = now() - interval '25 hours' where id = $1`, [dry.uploadId]);
    await db.query(`update data_uploads set created_at = now() - interval '8 days' where id = $1`, [old.uploadId]);
    await begin(db, uploadFor(t));
    await begin(db, uploadFor(t));
    await expectRefusal(begin(db, uploadFor(t)), 'CONCURRENCY_LIMIT');
  });

  it('a replayed begin of an admitted upload is not refused by the limit it counts toward', async () => {
    const t = await createTenant(db, 'slots-replay');
    const us = [uploadFor(t), uploadFor(t), uploadFor(t)];
    for (const u of us) await begin(db, u);
    expect((await begin(db, us[2]!)).id).toBe(us[2]!.uploadId);
  });
});

describe('COMMIT uploads per client per hour', () => {
  async function completedCommitsAgo(t: Tenant, n: number, minutesAgo: number) {
    for (let i = 0; i < n; i++) {
      const u = uploadFor(t);
      await runUpload(db, u);
      await db.query(`update data_uploads set created_at = now() - make_interval(mins => $2) where id = $1`, [u.uploadId, minutesAgo]);
    }
  }

  it('the eleventh COMMIT within an hour is RATE_LIMITED; an hour later it is admitted', async () => {
    const t = await createTenant(db, 'rate');
    await completedCommitsAgo(t, 10, 30);
    const f = await expectRefusal(
      begin(db, uploadFor(t)),
      'RATE_LIMITED',
      /^Client "rate Shoes" already had 10 uploads committed in the last hour; at most 10 per hour are allowed\. Try again later\.$/,
    );
    expect(JSON.parse(f.detail ?? '{}')).toMatchObject({ recent: 10, limit: 10 });
    // dry runs are not rate limited
    await begin(db, uploadFor(t, { mode: 'FULL_DRY_RUN' }));
    // another client of the same workspace has its own budget
    const other = await createClientRow(db, t.workspaceId, 'rate Boots');
    await begin(db, uploadFor(t, { clientId: other }));
    // move the ten uploads 61 minutes into the past
    await db.query(`update data_uploads set created_at = now() - interval '61 minutes' where client_id = $1 and mode = 'COMMIT'`, [
      t.clientId,
    ]);
    await begin(db, uploadFor(t));
  });

  it('failed COMMIT uploads count too (each was an attempt to write)', async () => {
    const t = await createTenant(db, 'rate-failed');
    for (let i = 0; i < 10; i++) {
      const u = uploadFor(t);
      await begin(db, u);
      await callRpc(db, t.member, 'fail_upload', {
        p_upload_id: u.uploadId,
        p_code: 'CANCELLED',
        p_message: 'Cancelled.',
        p_stage: 'begin',
      });
    }
    await expectRefusal(begin(db, uploadFor(t)), 'RATE_LIMITED');
  });

  it('promoting a dry run counts as a COMMIT from the moment it is promoted', async () => {
    const t = await createTenant(db, 'rate-promote');
    const dry = uploadFor(t, { mode: 'FULL_DRY_RUN' });
    await runUpload(db, dry);
    await completedCommitsAgo(t, 10, 10);
    await expectRefusal(
      callRpc(db, t.member, 'promote_upload', { p_upload_id: dry.uploadId }),
      'RATE_LIMITED',
      /the dry run is kept for 24 hours/,
    );
    await db.query(`update data_uploads set created_at = now() - interval '2 hours' where client_id = $1 and mode = 'COMMIT'`, [
      t.clientId,
    ]);
    await callRpc(db, t.member, 'promote_upload', { p_upload_id: dry.uploadId });
    // nine more fit in this hour, the promoted one being the first; the eleventh does not
    for (let i = 0; i < 9; i++) await runUpload(db, uploadFor(t));
    await expectRefusal(begin(db, uploadFor(t)), 'RATE_LIMITED');
  });
});

describe('dry-run retention', () => {
  it('committing a dry run older than 24 hours is UPLOAD_EXPIRED', async () => {
    const t = await createTenant(db, 'expired');
    const dry = uploadFor(t, { mode: 'FULL_DRY_RUN' });
    await runUpload(db, dry);
    await db.query(`update data_uploads set created_at = now() - interval '24 hours 1 minute' where id = $1`, [dry.uploadId]);
    const f = await expectRefusal(
      callRpc(db, t.member, 'promote_upload', { p_upload_id: dry.uploadId }),
      'UPLOAD_EXPIRED',
      /^This dry run is older than 24 hours, so its staged rows are no longer kept\. Run the dry run again\.$/,
    );
    expect(JSON.parse(f.detail ?? '{}')).toMatchObject({ retention_hours: 24 });
  });

  it('a dry run just under 24 hours old can still be committed', async () => {
    const t = await createTenant(db, 'not-expired');
    const dry = uploadFor(t, { mode: 'FULL_DRY_RUN' });
    await runUpload(db, dry);
    await db.query(`update data_uploads set created_at = now() - interval '23 hours 59 minutes' where id = $1`, [dry.uploadId]);
    expect(await callRpc(db, t.member, 'promote_upload', { p_upload_id: dry.uploadId })).toMatchObject({ mode: 'COMMIT' });
  });

  it('an upload left unfinished for more than 7 days cannot continue', async () => {
    const t = await createTenant(db, 'stale');
    const u = uploadFor(t);
    await begin(db, u);
    await db.query(`update data_uploads set created_at = now() - interval '8 days' where id = $1`, [u.uploadId]);
    await expectRefusal(
      callRpc(db, t.member, 'stage_rows', { p_upload_id: u.uploadId, p_batch_no: 0, p_rows: rows }),
      'UPLOAD_EXPIRED',
      /began more than 7 days ago/,
    );
  });
});

describe('who may upload', () => {
  it('a viewer reads but cannot begin an upload', async () => {
    const t = await createTenant(db, 'viewer');
    await expectRefusal(
      begin(db, uploadFor(t, { actor: t.viewer })),
      'NOT_AUTHORIZED',
      /^Your role in this workspace is viewer, which can read data but not upload\. Ask an owner or admin to make you a member\.$/,
    );
    const r = await asIdentity(db, t.viewer, 'select count(*)::int as n from clients where workspace_id = $1', [t.workspaceId]);
    expect(r.rows[0]).toEqual({ n: 1 });
  });

  it('owners, admins and members may begin; a request with no user is NOT_SIGNED_IN', async () => {
    const t = await createTenant(db, 'roles');
    await begin(db, uploadFor(t, { actor: t.owner }));
    await begin(db, uploadFor(t, { actor: t.member }));
    const f = await failureOf(callRpc(db, { id: null as unknown as string, email: '' }, 'begin_upload', beginArgs(uploadFor(t))));
    expect({ code: f.code, hint: f.hint }).toEqual({ code: 'P0001', hint: 'NOT_SIGNED_IN' });
    expect(newId()).not.toBe(newId());
  });
});
