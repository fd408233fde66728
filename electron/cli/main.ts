import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { Engine } from '../engine/index.ts';
import type { ValidationApi } from '../engine/validation.ts';
import { defaultHomeDir, storeFile } from '../engine/store/home.ts';
import type { SpareRecordingThread } from '../engine/record/spare.ts';
import type { Store } from '../engine/store/open.ts';
import { extractGlobal, parseArgs, UsageError } from './args.ts';
import { EXIT, type CommandContext, type CommandModule } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { write, type CliIo } from './io.ts';

export type { CliIo } from './io.ts';

/**
 * `metricdrop ARGS`: parses global options (`--home`, `--help`), finds the command, parses its
 * flags, runs it and returns the exit code (docs/cli.md): 0 done, 1 rows have errors or an upload
 * stopped part-way, 2 refused whole, 64 wrong usage.
 */
export async function runCli(argv: string[], io: CliIo, commands: readonly CommandModule[] = COMMANDS): Promise<number> {
  let store: Store | null = null;
  let spare: SpareRecordingThread | null = null;
  let current: CommandModule | undefined;
  let json = false;
  try {
    const global = extractGlobal(argv);
    const [name, ...rest] = global.rest;
    if (name === undefined || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = topic === undefined ? undefined : commands.find((c) => c.name === topic);
      if (topic !== undefined && !command) throw new UsageError(`Unknown command "${topic}".`);
      if (name === undefined && !global.help) {
        await write(io.stderr, generalHelp(commands, io.env));
        return EXIT.usage;
      }
      await write(io.stdout, command ? commandHelp(command) : generalHelp(commands, io.env));
      return EXIT.ok;
    }
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`Unknown command "${name}".`);
    current = command;
    if (global.help) {
      await write(io.stdout, commandHelp(command));
      return EXIT.ok;
    }
    const args = parseArgs(rest, command.flags);
    json = args.flags.json === true;
    const n = args.positionals.length;
    if (n < command.positionals.min) throw new UsageError(`Missing argument: metricdrop ${command.usage}`, command);
    if (n > command.positionals.max)
      throw new UsageError(`Too many arguments (${args.positionals.slice(command.positionals.max).join(' ')}).`, command);

    // A large file's recording thread starts now and readies itself while the engine loads.
    const recorded = io.rowRecorder ? command.recordsRowsOf?.(args) : undefined;
    if (recorded !== undefined) spare = await (await import('../engine/record/spare.ts')).spareThreadFor(recorded, io.rowRecorder!);
    // Loaded only now, so help and wrong usage answer at once (the engine is most of the bundle);
    // a command that only validates or reads the store does without the upload part (supabase-js).
    const full = command.uses !== 'validation';
    const [{ createValidationApi }, { systemClock, silentLogger }, { openStore }, whole] = await Promise.all([
      import('../engine/validation.ts'),
      import('../engine/deps.ts'),
      import('../engine/store/open.ts'),
      full ? import('../engine/index.ts') : null,
    ]);
    const home = resolve(global.home ?? (io.env.METRICDROP_HOME || defaultHomeDir(process.platform, io.env, homedir())));
    let built: Engine | ValidationApi | null = null;
    const build = () => {
      if (built === null) {
        store = openStore(storeFile(home));
        const deps = {
          db: store,
          clock: systemClock,
          logger: silentLogger,
          ...(io.rowRecorder ? { rowRecorder: { worker: io.rowRecorder, spare: spare ?? undefined } } : {}),
        };
        built = whole ? whole.createEngine(deps) : createValidationApi(deps);
      }
      return built;
    };
    const ctx: CommandContext = {
      io,
      home,
      engine() {
        if (!whole) throw new Error(`metricdrop ${command.name} was built for validating only`);
        return build() as Engine;
      },
      validation: build,
    };
    return await command.run(ctx, args);
  } catch (err) {
    if (err instanceof UsageError) {
      const about = err.command ?? current;
      const which = about ? `metricdrop ${about.name} --help` : 'metricdrop --help';
      await write(io.stderr, `metricdrop: ${err.message}\nRun "${which}" for usage.\n`);
      return EXIT.usage;
    }
    // A refusal or a failure no command handled itself: its code, the exit code of its kind (2 or
    // 1) and, with --json, the document with `error`, as for every command (docs/errors.md).
    // (Loaded here, not at start: shared/errors.ts brings zod, which `--help` does without.)
    const [{ AppError }, { endWithAppError }] = await Promise.all([import('../../shared/errors.ts'), import('./app-error.ts')]);
    if (err instanceof AppError) return await endWithAppError({ io }, err, json);
    await write(io.stderr, `metricdrop: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.rowsOrPartial;
  } finally {
    spare?.end();
    (store as Store | null)?.close();
  }
}

function generalHelp(commands: readonly CommandModule[], env: CliIo['env']): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const defaultHome = env.METRICDROP_HOME || defaultHomeDir(process.platform, env, homedir());
  return [
    'metricdrop: check and upload Meta, Google Ads and TikTok performance exports',
    '',
    'Usage: metricdrop <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    'Global options:',
    `  --home DIR    the local data folder (store, logs, session); now: ${defaultHome}`,
    '                (default: METRICDROP_HOME, else the per-user application data folder)',
    '  -h, --help    this help; "metricdrop <command> --help" for one command',
    '',
  ].join('\n');
}

function commandHelp(c: CommandModule): string {
  const flags = Object.entries(c.flags).map(
    ([name, f]) => [`--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`, f.description] as const,
  );
  const width = Math.max(14, ...flags.map(([f]) => f.length + 2));
  return [
    `Usage: metricdrop ${c.usage}`,
    '',
    c.summary.charAt(0).toUpperCase() + c.summary.slice(1) + '.',
    ...(c.description ? ['', c.description] : []),
    '',
    'Options:',
    ...flags.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
    `  ${'--home DIR'.padEnd(width)}the local data folder`,
    `  ${'-h, --help'.padEnd(width)}this help`,
    '',
  ].join('\n');
}
