// `npm test`: type-check, make sure the browser the UI tests drive is here, then run every test.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './ensure-chromium.mjs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

ensureChromium();
run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
run('npx', ['vitest', 'run', ...process.argv.slice(2)]);
