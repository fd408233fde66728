// `node --import ./test/support/record-loads.mjs …`: appends the URL of every module the process
// loads to the file named by METRICDROP_LOADS (test/cli/loads.test.ts reads it).
import { register } from 'node:module';

const hooks = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.METRICDROP_LOADS) appendFileSync(process.env.METRICDROP_LOADS, url + '\\n');
  return next(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
