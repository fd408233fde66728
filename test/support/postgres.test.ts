import { describe, expect, it } from 'vitest';
import { freshDatabase, withClient } from './db.ts';

describe('test PostgreSQL with the Supabase bootstrap', () => {
  it('runs PostgreSQL 17 and answers auth.uid() from request.jwt.claims', async () => {
    const db = await freshDatabase();
    await withClient(db.url, async (c) => {
      const v = await c.query<{ server_version_num: string }>('show server_version_num');
      expect(Number(v.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(170000);
      await c.query('begin');
      await c.query(`select set_config('role','authenticated',true), set_config('request.jwt.claims',$1,true)`, [
        JSON.stringify({ sub: '11111111-1111-1111-1111-111111111111', role: 'authenticated' }),
      ]);
      const r = await c.query<{ uid: string; who: string }>('select auth.uid()::text as uid, current_user as who');
      expect(r.rows[0]).toEqual({ uid: '11111111-1111-1111-1111-111111111111', who: 'authenticated' });
      await c.query('rollback');
    });
  });
});
