// `npm test`: type-check, lint, then run every test (the unit, db and e2e projects of vitest.config.ts;
// the e2e project finds its browser itself) and close with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { typecheck } from './typecheck.mjs';

function run(cmd, args) {
  return spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
}

const tsc = typecheck();
if (tsc !== 0) process.exit(tsc);
// The boundaries between the parts (eslint.config.js). Prettier is not part of this check until the
// tree has had its one formatting commit (`npm run format`); `npm run format:check` shows what it would change.
const lint = run('npx', ['eslint', '.']);
if (lint !== 0) process.exit(lint);
mkdirSync('test-results', { recursive: true });
const summaryFile = 'test-results/vitest.json';
const code = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${summaryFile}`,
  ...process.argv.slice(2),
]);
if (existsSync(summaryFile)) {
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const skipped = (s.numPendingTests ?? 0) + (s.numTodoTests ?? 0);
  const failedFiles = s.testResults?.filter((f) => f.status === 'failed').length ?? 0;
  console.log(
    `${s.numPassedTests} passed, ${s.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}${failedFiles ? ` (${failedFiles} test files failed)` : ''}`,
  );
}
process.exit(code);
