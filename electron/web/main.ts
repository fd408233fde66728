// `npm run web`: the metricdrop window in a browser, for use and tests without the Electron binary.
// Serves the built renderer and the IPC contract on 127.0.0.1 with a per-start secret, which it
// prints as part of the link to open.
import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, statSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { defaultHomeDir } from '../engine/store/open.ts';
import { createEventHub } from '../host/events.ts';
import { pruneIncoming } from '../host/incoming.ts';
import { createHostClient } from '../host/process/client.ts';
import { childProcessHost } from '../host/process/child.ts';
import type { Logger } from '../host/result.ts';
import { startBridge } from './server.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const RENDERER_ROOT = join(ROOT, 'dist-renderer');

const USAGE = `usage: npm run web -- [--port N] [--home DIR] [--info FILE] [--no-build] [--renderer-dir DIR]
  --port N      listen on 127.0.0.1:N (default: a free port)
  --home DIR    the local data folder (default: METRICDROP_HOME, else the app's data folder)
  --info FILE   write {"url","port","link","enginePid"} as JSON to FILE once listening (for tests)
  --no-build    serve dist-renderer/ as it is, without rebuilding it
  --renderer-dir DIR   serve this built renderer instead of dist-renderer/ (implies --no-build)`;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

async function ensureRendererBuilt(): Promise<void> {
  const index = join(RENDERER_ROOT, 'index.html');
  const fresh =
    existsSync(index) && statSync(index).mtimeMs >= Math.max(newestMtime(join(ROOT, 'renderer')), newestMtime(join(ROOT, 'shared')));
  if (fresh) return;
  process.stderr.write('metricdrop: building the window (vite)…\n');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

function stderrLogger(): Logger {
  const write = (level: string) => (message: string, details?: Record<string, unknown>) =>
    process.stderr.write(`[${level}] ${message}${details ? ` ${JSON.stringify(details)}` : ''}\n`);
  return { error: write('error'), warn: write('warn'), info: write('info') };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        home: { type: 'string' },
        info: { type: 'string' },
        'no-build': { type: 'boolean' },
        'renderer-dir': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(64);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port must be a port number\n${USAGE}\n`);
    process.exit(64);
  }
  const rendererRoot = args['renderer-dir'] ? resolve(args['renderer-dir']) : RENDERER_ROOT;
  if (!args['no-build'] && !args['renderer-dir']) await ensureRendererBuilt();
  if (!existsSync(join(rendererRoot, 'index.html'))) {
    process.stderr.write(`metricdrop: ${rendererRoot} has no built window; run without --no-build once.\n`);
    process.exit(1);
  }

  const logger = stderrLogger();
  const home = resolve(args.home ?? process.env.METRICDROP_HOME ?? defaultHomeDir(process.platform, process.env, homedir()));
  const hub = createEventHub();
  const incomingDir = join(home, 'incoming');
  pruneIncoming(incomingDir);
  // The engine, its store and the handlers run in a child process, as Electron runs them in a utility
  // process: this one only serves the page and the bridge, so it answers at once while 100,000 rows
  // are read, checked and recorded, and a crash of the engine leaves the page connected.
  let enginePid = -1;
  const host = createHostClient({
    spawn: () => {
      const child = childProcessHost();
      enginePid = child.pid;
      return child;
    },
    config: {
      home,
      shell: 'web',
      version: process.env.npm_package_version ?? '0.0.0',
      secretStore: 'file',
      session: 'file',
      incomingDir,
    },
    logger,
    onEvent: (event, payload) => hub.emit(event, payload as never),
  });
  try {
    await host.ready();
  } catch (err) {
    process.stderr.write(`metricdrop: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const secret = randomBytes(32).toString('hex');
  const bridge = await startBridge({
    handlers: host.handlers,
    hub,
    registerFile: host.registerFile,
    staticRoot: rendererRoot,
    incomingDir,
    secret,
    port,
    logger,
  });
  const link = `${bridge.url}/#k=${secret}`;
  if (args.info) {
    // Written aside and renamed: whoever waits for the file to appear never reads half of it.
    const tmp = `${args.info}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ url: bridge.url, port: bridge.port, link, enginePid }), { mode: 0o600 });
    renameSync(tmp, args.info);
  }
  process.stdout.write(`metricdrop is running. Open this link in a browser on this computer:\n\n  ${link}\n\nPress Ctrl+C to stop.\n`);

  const stop = () => {
    void bridge
      .close()
      .then(() => host.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
