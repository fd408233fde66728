import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain .mjs without types
import { buildCli } from '../scripts/build-cli.mjs';

const ROOT = join(import.meta.dirname, '..');

/** Whole-process wall times, in ms, of what a user types: the command line against a bare parse. */
export interface ProcessFigures {
  /** `node bench/bare-parse-process.mjs FILE`: Node starting, papaparse streaming the file, exit. */
  bareParse: { runsMs: number[]; bestMs: number; medianMs: number };
  /** `metricdrop validate FILE --json` (compiled, fresh store each run): start, read, check, record, exit. */
  validate: { runsMs: number[]; bestMs: number; medianMs: number };
  /** The same command on the same rows sorted by ad (a new ad until the last rows), when a file of them is given. */
  validateSortedByAd: { runsMs: number[]; bestMs: number; medianMs: number } | null;
  /** `metricdrop --help`. */
  help: { runsMs: number[]; bestMs: number; medianMs: number };
  /** `node -e 0`: Node starting and exiting, the floor under `--help` on this machine now. */
  nodeStart: { runsMs: number[]; bestMs: number; medianMs: number };
  validateOverParseBest: number;
}

function timeProcess(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const summary = (runsMs: number[]) => {
  const sorted = [...runsMs].sort((a, b) => a - b);
  return { runsMs: runsMs.map(Math.round), bestMs: Math.round(sorted[0]!), medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!) };
};

/** Interleaved runs after a warm-up of each, so both see the same machine load (and the same disk cache). */
export async function benchProcesses(file: string, runs: number, sortedByAd: string | null = null): Promise<ProcessFigures> {
  await buildCli();
  const bin = join(ROOT, 'bin', 'metricdrop.mjs');
  const parse: number[] = [];
  const validate: number[] = [];
  const validateByAd: number[] = [];
  const help: number[] = [];
  const nodeStart: number[] = [];
  const validateOnce = (path = file) => {
    const home = mkdtempSync(join(tmpdir(), 'metricdrop-bench-cli-'));
    try {
      return timeProcess([bin, 'validate', path, '--json', '--home', home]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  };
  timeProcess([join(ROOT, 'bench', 'bare-parse-process.mjs'), file]);
  validateOnce();
  timeProcess([bin, '--help']);
  for (let i = 0; i < runs; i++) {
    parse.push(timeProcess([join(ROOT, 'bench', 'bare-parse-process.mjs'), file]));
    validate.push(validateOnce());
    if (sortedByAd !== null) validateByAd.push(validateOnce(sortedByAd));
    help.push(timeProcess([bin, '--help']));
    nodeStart.push(timeProcess(['-e', '0']));
  }
  const figures = {
    bareParse: summary(parse),
    validate: summary(validate),
    validateSortedByAd: sortedByAd === null ? null : summary(validateByAd),
    help: summary(help),
    nodeStart: summary(nodeStart),
  };
  return { ...figures, validateOverParseBest: Number((figures.validate.bestMs / figures.bareParse.bestMs).toFixed(2)) };
}
