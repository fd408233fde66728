/** A flag a command accepts. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Allowed values of a string flag. */
  choices?: readonly string[];
  /** Placeholder in help (`--errors-csv OUT`). */
  value?: string;
  /** A string flag that may be given several times (`--map A=B --map C=D`): its values are in `lists`. */
  repeatable?: boolean;
  description: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
  /** The values of repeatable flags, in the order given (absent when not given). */
  lists: Record<string, string[]>;
}

/** Wrong usage: the CLI prints it with a hint and exits 64. */
export class UsageError extends Error {
  /** The command whose help the hint points to. */
  readonly command: { name: string } | undefined;
  constructor(message: string, command?: { name: string }) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/**
 * Parses `--flag value`, `--flag=value`, boolean `--flag`, positionals, and `--` (everything after
 * is positional). Unknown flags, missing values and values outside `choices` are usage errors.
 */
export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const lists: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`Unknown option ${arg}.`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`Unknown option --${name}.`);
    if (name in flags && !spec.repeatable) throw new UsageError(`--${name} is given twice.`);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value.`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--'))
        throw new UsageError(`--${name} needs a value${spec.value ? ` (${spec.value})` : ''}.`);
      i++;
    }
    if (value === '') throw new UsageError(`--${name} needs a value${spec.value ? ` (${spec.value})` : ''}.`);
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')} (got "${value}").`);
    }
    flags[name] = value;
    if (spec.repeatable) (lists[name] ??= []).push(value);
  }
  return { positionals, flags, lists };
}

/** Splits the global flags (`--home DIR`, `--help`/`-h`) out of argv, wherever they are. */
export function extractGlobal(argv: readonly string[]): { home: string | null; help: boolean; rest: string[] } {
  let home: string | null = null;
  let help = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--home' || arg.startsWith('--home=')) {
      if (home !== null) throw new UsageError('--home is given twice.');
      const value = arg === '--home' ? argv[++i] : arg.slice('--home='.length);
      if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError('--home needs a folder (--home DIR).');
      home = value;
    } else rest.push(arg);
  }
  return { home, help, rest };
}
