import { defineConfig } from 'vitest/config';

/**
 * The projects (docs/testing.md):
 * - `unit` and `unit-window` (the window's component tests, happy-dom): no PostgreSQL, no browser;
 *   `npm run test:unit` runs both, the lane to run while working.
 * - `db`: files that need PostgreSQL: one embedded PostgreSQL 17 for the run, started by
 *   test/support/global-setup.ts only when this project runs; each file clones a template database.
 * - `e2e`: the real window in a real Chromium (test/support/browser-setup.ts finds one, or every
 *   e2e file fails with one sentence saying how to get one; the other projects still run).
 * A file that needs PostgreSQL goes in `db` by its folder, or by name in DB_FILES below.
 */
const DB_FOLDERS = ['test/db/**', 'test/upload/**', 'test/gateway/**', 'test/sandbox/**', 'test/support/**'];
const DB_FILES = ['electron/host/engine-adapter.test.ts'];
const E2E = ['test/e2e/**'];
/** The window's component tests (happy-dom): the fast lane's second project, see `unit-window` below. */
const WINDOW = ['renderer/**/*.test.tsx'];
/** Builds the compiled command line that tests spawning bin/metricdrop.mjs run. */
const CLI_SETUP = 'test/support/cli-setup.ts';

const ALL_TESTS = ['electron/**/*.test.ts', 'shared/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files that start servers or browsers must not all run at once.
    maxWorkers: 2,
    pool: 'forks',
    // Transformed modules are kept on disk between runs (node_modules/.experimental-vitest-cache, so
    // a fresh install starts cold), keyed by each file's content and the config: the unit lane's
    // second and later runs skip the TypeScript transforms (about 31 s -> 27 s here). No plugins are
    // configured, the case vitest's docs name where such a cache could go stale.
    experimental: { fsModuleCache: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ALL_TESTS,
          exclude: [...DB_FOLDERS, ...DB_FILES, ...E2E].map(withTests).concat(WINDOW),
          globalSetup: [CLI_SETUP],
          // The unit files share their two worker processes instead of each importing the modules
          // afresh (35 s -> 21 s here): the code keeps no module-level mutable state, and
          // `npm run test:shuffled` runs these files in a random order in the same way.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          // The window's component tests, part of `npm run test:unit`. In their own project, after the
          // others: a worker runs files of one environment, so each happy-dom file among the node files
          // started a process of its own (and the node file after it another), importing happy-dom and
          // the shared modules again each time (six processes, about 3 s). The same maxWorkers as the
          // other projects: `--sequence.shuffle` (test:shuffled) puts every project in one group again.
          name: 'unit-window',
          include: WINDOW,
          environment: 'happy-dom',
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'db',
          include: [...DB_FOLDERS.map(withTests), ...DB_FILES],
          globalSetup: ['test/support/global-setup.ts', CLI_SETUP],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E.map(withTests),
          globalSetup: ['test/support/browser-setup.ts'],
          // A poll waits for the window to reach a state, it does not time it: vitest's 1 s default fails
          // a card that is still validating on two busy cores. Speed is measured in `npm run bench`.
          expect: { poll: { timeout: 30_000 } },
        },
      },
    ],
  },
});

function withTests(glob: string): string {
  return glob.endsWith('/**') ? `${glob}/*.test.{ts,tsx}` : glob;
}
