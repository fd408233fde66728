import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_STORAGE_KEY } from '../../electron/engine/upload/session.ts';
import { openDesk, signInArgs, startWorld, type UploadWorld } from './env.ts';

let world: UploadWorld;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const sessionOnDisk = (home: string) => {
  const file = join(home, 'session.json');
  return existsSync(file) && SESSION_STORAGE_KEY in (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
};

describe('signing out', () => {
  it('forgets the session on this computer even when the project cannot be reached', async () => {
    let reachable = true;
    const link: typeof fetch = (input, init) => (reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed')));
    const desk = openDesk(undefined, { fetch: link });
    try {
      await desk.service.signIn(signInArgs(world));
      expect(sessionOnDisk(desk.home)).toBe(true);

      reachable = false;
      await desk.service.signOut();
      expect(sessionOnDisk(desk.home)).toBe(false);

      // Back online, nothing of the old session signs this computer in again.
      reachable = true;
      const v = await desk.validate('tiktok/ad-daily-by-day-total-row.csv');
      await expect(desk.service.upload(v.id, { clientRef: 'Acme Outdoor' })).rejects.toMatchObject({ code: 'NOT_SIGNED_IN' });
    } finally {
      desk.close();
    }
  });
});
