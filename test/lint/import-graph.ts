import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// Relative imports of a TypeScript/JavaScript source: `import … from './x'`, `export … from './x'`,
// `import './x'` and `import('./x')`. Package imports are not followed: only our own files matter.
const RELATIVE_IMPORT =
  /(?:import|export)\s[^'"]*?\sfrom\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|import\s+['"](\.{1,2}\/[^'"]+)['"]/g;

/** The files of `root` (paths relative to it) reached from `entries` by relative imports. */
export function reachableFrom(root: string, entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file) || !existsSync(join(root, file))) continue;
    seen.add(file);
    for (const match of readFileSync(join(root, file), 'utf8').matchAll(RELATIVE_IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3];
      if (specifier) pending.push(relative(root, resolve(root, dirname(file), specifier)));
    }
  }
  return seen;
}

/** Source paths (under electron/, renderer/, bench/, scripts/) that `text` names as strings. */
export function namedSourcePaths(text: string): string[] {
  return [...text.matchAll(/['"\s]((?:electron|renderer|bench|scripts)\/[\w./-]+\.(?:tsx?|mjs))\b/g)].map((m) => m[1] ?? '');
}
