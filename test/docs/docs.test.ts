import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/command.ts';
import { COMMANDS } from '../../electron/cli/commands/index.ts';
import { HEADER_TABLES } from '../../electron/engine/recognise/headers/index.ts';
import { ERROR_CODES, ErrorCode, RESUMABLE_CODES } from '../../shared/errors.ts';
import { IpcErrorCode } from '../../shared/ipc-contract.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const read = (rel: string) => readFileSync(join(ROOT, rel), 'utf8');

/** Every Markdown file of the repository (not node_modules, builds or fixtures). */
function markdownFiles(dir = ROOT): string[] {
  const skip = new Set([
    'node_modules',
    '.git',
    'dist',
    'dist-cli',
    'dist-electron',
    'dist-renderer',
    'release',
    'test-results',
    'fixtures',
  ]);
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (skip.has(name)) return [];
    if (statSync(p).isDirectory()) return markdownFiles(p);
    return name.endsWith('.md') ? [p] : [];
  });
}

describe('the docs stay current and inside the repository', () => {
  it('docs/cli.md names every command and every exit code', () => {
    const doc = read('docs/cli.md');
    expect(COMMANDS.map((c) => c.name).filter((name) => !doc.includes(`\`${name}`))).toEqual([]);
    expect(Object.values(EXIT).filter((code) => !doc.includes(`| \`${code}\` |`))).toEqual([]);
  });

  it('docs/errors.md names every resumable code and the codes only the window receives', () => {
    const doc = read('docs/errors.md');
    const windowOnly = IpcErrorCode.options.filter((c) => !(ERROR_CODES as readonly string[]).includes(c));
    expect(windowOnly.length).toBeGreaterThan(0);
    expect([...RESUMABLE_CODES, ...windowOnly].filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });

  it('docs/data-contract.md names every error code', () => {
    const doc = read('docs/data-contract.md');
    expect(ErrorCode.options.filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });

  it('every header table cites its evidence in a section of docs/header-evidence.md that exists', () => {
    // GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
    const sections = new Set(
      [...read('docs/header-evidence.md').matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const cited = HEADER_TABLES.flatMap((t) =>
      Object.values(t.sources).map((source) => ({ table: `${t.platform}.${t.language}`, source })),
    );
    expect(cited.filter(({ source }) => !source.startsWith('docs/header-evidence.md#'))).toEqual([]);
    const missing = cited.flatMap(({ table, source }) =>
      [...source.matchAll(/#([a-z0-9-]+)/g)]
        .map((m) => m[1]!)
        .filter((a) => !sections.has(a))
        .map((a) => `${table}: #${a}`),
    );
    expect(missing).toEqual([]);
  });

  it('no Markdown link or path points outside the repository', () => {
    const outside: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, 'utf8');
      const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/`((?:\.\.\/)+[^`\s]*)`/g)].map((m) => m[1]!);
      for (const t of targets) {
        if (/^(https?:|mailto:|#)/.test(t)) continue;
        const to = relative(ROOT, resolve(dirname(file), t.split('#')[0]!));
        if (to.startsWith('..')) outside.push(`${relative(ROOT, file)}: ${t}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
