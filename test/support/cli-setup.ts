// @ts-expect-error plain .mjs without types
import { buildCli } from '../../scripts/build-cli.mjs';

/** Tests that spawn `bin/metricdrop.mjs` run the compiled command line: built fresh from this tree first. */
export default async function setup(): Promise<void> {
  await buildCli();
}
