// The window stays responsive while the engine works (the reason the engine runs in its own
// process). The window's process here is this bench's main thread: its event-loop delay
// (perf_hooks.monitorEventLoopDelay, max and p99) is recorded while the 100,000-row file is validated
// and recorded, and while it is uploaded, once with the engine in this thread (as the app was before) and once in the engine host (a child
// process, as `npm run web` runs it; Electron runs the same host in a utility process).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Channel, Result } from '../shared/ipc-contract.ts';
import { composeAppEngine } from '../electron/host/compose.ts';
import { createFileRegistry, registerLocalPaths } from '../electron/host/files.ts';
import { createHandlers } from '../electron/host/handlers.ts';
import { createHostClient } from '../electron/host/process/client.ts';
import { childProcessHost } from '../electron/host/process/child.ts';
import { dispatch, type AnyHandler, type Logger } from '../electron/host/result.ts';
import type { BenchWorld } from './upload.ts';

/** The event loop is sampled every this many milliseconds. */
const RESOLUTION_MS = 5;

export interface LoopDelay {
  /** The longest the main thread's event loop was held up, in ms. */
  maxMs: number;
  p99Ms: number;
}

export interface ResponsivenessFigures {
  resolutionMs: number;
  runs: number;
  /** Median over the runs of each figure. */
  validate: { inProcess: LoopDelay; host: LoopDelay };
  /** One upload each (null without a sandbox). */
  upload: { inProcess: LoopDelay; host: LoopDelay } | null;
}

interface Arrangement {
  call(channel: Channel, input: unknown): Promise<Result<unknown>>;
  register(path: string): Promise<string>;
  close(): Promise<void>;
}

const quiet: Logger = { error: () => {}, warn: () => {}, info: () => {} };

function inProcess(home: string): Arrangement {
  const { engine, close } = composeAppEngine({ home, logger: quiet });
  const files = createFileRegistry();
  const handlers = createHandlers({ engine, files, shell: 'web', version: 'bench', secretStore: 'file', emit: () => {}, logger: quiet });
  return {
    call: (channel, input) => dispatch(handlers as unknown as Record<string, AnyHandler>, channel, input, quiet),
    register: async (path) => (await registerLocalPaths(files, [path]))[0]!.token,
    close: async () => close(),
  };
}

function inHost(home: string): Arrangement {
  const client = createHostClient({
    spawn: () => childProcessHost(),
    config: { home, shell: 'web', version: 'bench', secretStore: 'file', session: 'file' },
    logger: quiet,
    onEvent: () => {},
  });
  return {
    call: (channel, input) => client.call(channel, input),
    register: async (path) => (await client.registerPaths([path]))[0]!.token,
    close: () => client.close(),
  };
}

async function delayDuring(work: () => Promise<void>): Promise<LoopDelay> {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  try {
    await work();
  } finally {
    h.disable();
  }
  const ms = (ns: number) => Number((ns / 1e6).toFixed(1));
  return { maxMs: ms(h.max), p99Ms: ms(h.percentile(99)) };
}

async function ok(r: Promise<Result<unknown>>, what: string): Promise<unknown> {
  const got = await r;
  if (!got.ok) throw new Error(`${what} failed: ${got.error.code} ${got.error.message}`);
  return got.value;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const medianDelay = (xs: LoopDelay[]): LoopDelay => ({ maxMs: median(xs.map((x) => x.maxMs)), p99Ms: median(xs.map((x) => x.p99Ms)) });

export async function benchResponsiveness(opts: {
  file: string;
  runs: number;
  world: BenchWorld | null;
  say(line?: string): void;
}): Promise<ResponsivenessFigures> {
  const { file, say } = opts;
  const runs = Math.max(1, Math.min(opts.runs, 3));
  const makers = { inProcess, host: inHost } as const;
  const home = mkdtempSync(join(tmpdir(), 'metricdrop-bench-responsive-'));
  const apps = { inProcess: makers.inProcess(join(home, 'in-process')), host: makers.host(join(home, 'host')) };
  try {
    const validate: Record<keyof typeof apps, LoopDelay[]> = { inProcess: [], host: [] };
    // Interleaved; each run a fresh registration, so the file is read, checked and recorded again.
    for (let i = 0; i < runs; i++) {
      for (const name of ['inProcess', 'host'] as const) {
        const app = apps[name];
        const token = await app.register(file);
        validate[name].push(await delayDuring(async () => void (await ok(app.call('files:validate', { token }), 'validate'))));
      }
    }
    let upload: ResponsivenessFigures['upload'] = null;
    if (opts.world) {
      const world = opts.world;
      const measured: Partial<Record<keyof typeof apps, LoopDelay>> = {};
      for (const name of ['inProcess', 'host'] as const) {
        const app = apps[name];
        await ok(
          app.call('session:signIn', {
            url: world.gateway.url,
            anonKey: world.gateway.anonKey,
            email: world.member.email,
            password: world.member.password,
          }),
          'sign-in',
        );
        const clientId = await world.newClient(`Bench Responsive ${name}`);
        const token = await app.register(file);
        await ok(app.call('files:validate', { token }), 'validate');
        measured[name] = await delayDuring(async () => {
          const outcome = (await ok(app.call('uploads:start', { token, workspaceId: world.workspaceId, clientId }), 'upload')) as {
            status: string;
          };
          if (outcome.status !== 'completed') throw new Error(`bench upload ended ${outcome.status}`);
        });
      }
      upload = { inProcess: measured.inProcess!, host: measured.host! };
    }
    const figures: ResponsivenessFigures = {
      resolutionMs: RESOLUTION_MS,
      runs,
      validate: { inProcess: medianDelay(validate.inProcess), host: medianDelay(validate.host) },
      upload,
    };
    const d = (x: LoopDelay) => `max ${x.maxMs.toFixed(1)} ms, p99 ${x.p99Ms.toFixed(1)} ms`;
    say('');
    say(`the window's thread while the engine works (event-loop delay of this thread, sampled every ${RESOLUTION_MS} ms):`);
    say(`  validate + record, engine in this thread   ${d(figures.validate.inProcess)} (median of ${runs})`);
    say(`  validate + record, engine host (process)   ${d(figures.validate.host)}`);
    if (upload) {
      say(`  upload, engine in this thread              ${d(upload.inProcess)}`);
      say(`  upload, engine host (process)              ${d(upload.host)}`);
    }
    return figures;
  } finally {
    await Promise.all([apps.inProcess.close(), apps.host.close()]);
    rmSync(home, { recursive: true, force: true });
  }
}
