// `npm run typecheck`, also the first step of `npm test`: each world in its own TypeScript program, so
// a DOM name in Node code or a Node name in the window fails here (tsconfig.json, the combined program
// editors use, cannot tell them apart).
import { spawnSync } from 'node:child_process';

export const PROGRAMS = ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.dom-tests.json'];

export function typecheck() {
  for (const project of PROGRAMS) {
    const r = spawnSync('npx', ['tsc', '--noEmit', '-p', project], { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`[metricdrop] type errors in ${project}`);
      return r.status ?? 1;
    }
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit(typecheck());
