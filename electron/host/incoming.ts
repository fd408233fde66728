import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FileRegistry } from './files.ts';

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * Files the browser sent live in `<home>/incoming/<random>/<name>`. Once validated their rows are in
 * the local store (dry runs, uploads and resumes read them from there), so a file's folder goes when
 * the window lets go of it, and leftovers older than a week go at start.
 */
export function incomingRegistry(registry: FileRegistry, incomingDir: string): FileRegistry {
  return {
    ...registry,
    forget(token) {
      let path: string | null;
      try {
        path = registry.get(token).path;
      } catch {
        path = null;
      }
      const forgotten = registry.forget(token);
      if (path === null) return forgotten;
      const folder = dirname(path);
      const rel = relative(incomingDir, folder);
      if (rel !== '' && !rel.startsWith('..') && !rel.includes('/') && !rel.includes('\\'))
        rmSync(folder, { recursive: true, force: true });
      return forgotten;
    },
  };
}

export function pruneIncoming(incomingDir: string, now = Date.now()): number {
  let removed = 0;
  let entries: string[];
  try {
    entries = readdirSync(incomingDir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const folder = join(incomingDir, name);
    try {
      if (now - statSync(folder).mtimeMs > WEEK_MS) {
        rmSync(folder, { recursive: true, force: true });
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
