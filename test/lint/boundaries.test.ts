import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The boundaries of eslint.config.js, on made-up files placed where each part lives: a change that
// weakens a rule fails here, not months later in review.
const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('import boundaries', () => {
  it('keeps Electron, the window, its callers and test helpers out of the engine', async () => {
    const file = 'electron/engine/read/made-up.ts';
    expect(await refusals(file, "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../host/compose.ts';\nexport const a = x;\n")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../cli/main.ts';\nexport const a = x;\n")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../../test/support/db.ts';\nexport const a = x;\n")).toHaveLength(1);
    expect(await refusals(file, 'export const a = document.title;\n')).toHaveLength(1);
    expect(
      await refusals(file, "import { x } from '../validate/index.ts';\nimport * as z from 'zod';\nexport const a = [x, z];\n"),
    ).toEqual([]);
  });

  it('lets the engine tests read the fixtures, but not import a caller', async () => {
    const file = 'electron/engine/read/made-up.test.ts';
    expect(await refusals(file, "import { x } from '../../../test/fixtures/expected.ts';\nexport const a = x;\n")).toEqual([]);
    expect(await refusals(file, "import { x } from '../../host/compose.ts';\nexport const a = x;\n")).toHaveLength(1);
  });

  it('keeps the upload engine out of the local store, which upload/ builds on', async () => {
    const file = 'electron/engine/store/made-up.ts';
    expect(await refusals(file, "import type { RunOutcome } from '../upload/runner.ts';\nexport type A = RunOutcome;\n")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../engine/upload/rpc.ts';\nexport const a = x;\n")).toHaveLength(1);
    expect(
      await refusals('electron/engine/store/migrations/made-up.ts', "import { x } from '../../upload/rpc.ts';\nexport const a = x;\n"),
    ).toHaveLength(1);
    expect(
      await refusals('electron/engine/store/made-up.test.ts', "import { x } from '../upload/rpc.ts';\nexport const a = x;\n"),
    ).toHaveLength(1);
    // The store still keeps the engine's other boundaries, and may use shared/ and its own files.
    expect(await refusals(file, "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../../host/compose.ts';\nexport const a = x;\n")).toHaveLength(1);
    expect(
      await refusals(
        file,
        "import { Plan } from '../../../shared/report.ts';\nimport { x } from './audit.ts';\nexport const a = [Plan, x];\n",
      ),
    ).toEqual([]);
    // upload/ builds on the store.
    expect(await refusals('electron/engine/upload/made-up.ts', "import { x } from '../store/uploads.ts';\nexport const a = x;\n")).toEqual(
      [],
    );
  });

  it('lets shared/ import zod and its own files only', async () => {
    const file = 'shared/made-up.ts';
    expect(await refusals(file, "import * as z from 'zod';\nimport { x } from './errors.ts';\nexport const a = [z, x];\n")).toEqual([]);
    expect(await refusals(file, "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await refusals(file, "import { x } from '../electron/engine/index.ts';\nexport const a = x;\n")).toHaveLength(1);
    expect(await refusals(file, "import React from 'react';\nexport const a = React;\n")).toHaveLength(1);
    expect(await refusals(file, 'export const a = window.name;\n')).toHaveLength(1);
  });

  it('keeps Node, Electron and the engine out of the window', async () => {
    const file = 'renderer/files/made-up.tsx';
    expect(await refusals(file, "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await refusals(file, "import { readFileSync } from 'fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await refusals(file, "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(1);
    expect(
      await refusals(file, "import { createEngine } from '../../electron/engine/index.ts';\nexport const a = createEngine;\n"),
    ).toHaveLength(1);
    expect(await refusals(file, 'export const a = process.env;\n')).toHaveLength(1);
    expect(
      await refusals(
        file,
        "import { Platform } from '../../shared/canonical.ts';\nimport { useState } from 'react';\nexport const a = [Platform, useState];\n",
      ),
    ).toEqual([]);
  });
});

describe('module-level state', () => {
  it('refuses a module-level let or var in product code, not in tests', async () => {
    const restricted = async (filePath: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').length;
    };
    expect(await restricted('electron/engine/validate/made-up.ts', 'let cache = 0;\nexport const f = () => ++cache;\n')).toBe(1);
    expect(await restricted('shared/made-up.ts', 'export let n = 0;\n')).toBe(1);
    expect(await restricted('renderer/made-up.tsx', 'var seen = [];\nexport const f = () => seen;\n')).toBe(1);
    expect(await restricted('electron/engine/validate/made-up.ts', 'export const f = () => {\n  let n = 0;\n  return ++n;\n};\n')).toBe(0);
    expect(await restricted('electron/engine/validate/made-up.test.ts', 'let n = 0;\nexport const f = () => ++n;\n')).toBe(0);
  });
});

describe('bundle size', () => {
  it("refuses zod's `z` export in product code, so a bundle carries only the zod it uses", async () => {
    const messages = async (filePath: string, code: string) => {
      const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
      return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
    };
    expect(await messages('shared/made-up.ts', "import { z } from 'zod';\nexport const s = z.string();\n")).toEqual([
      "Import zod as a namespace (import * as z from 'zod'), so bundles carry only the zod they use.",
    ]);
    expect(await messages('shared/made-up.ts', "import * as z from 'zod';\nexport const s = z.string();\n")).toEqual([]);
    expect(await messages('shared/made-up.ts', "import type { z } from 'zod';\nexport type S = z.ZodString;\n")).toEqual([]);
  });
});
