import type { TestProject } from 'vitest/node';
// @ts-expect-error plain .mjs without types
import { findChromium } from '../../scripts/ensure-chromium.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The browser the e2e tests drive, or null when none could be had (then `chromiumProblem` says why). */
    chromiumPath: string | null;
    chromiumProblem: string;
  }
}

/** Finds (or, where it can, installs) the browser once for the e2e project. Never throws: the other projects still run. */
export default async function setup(project: TestProject): Promise<void> {
  const found = (await findChromium({ install: true })) as { path: string } | { problem: string };
  project.provide('chromiumPath', 'path' in found ? found.path : null);
  project.provide('chromiumProblem', 'problem' in found ? found.problem : '');
}
