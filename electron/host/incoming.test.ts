import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileRegistry } from './files.ts';
import { incomingRegistry, pruneIncoming } from './incoming.ts';

describe('files the browser sent', () => {
  it('are deleted with their folder when the window forgets them, and nothing outside incoming/ is touched', () => {
    const home = mkdtempSync(join(tmpdir(), 'md-inc-'));
    const incoming = join(home, 'incoming');
    mkdirSync(join(incoming, 'a1'), { recursive: true });
    writeFileSync(join(incoming, 'a1', 'meta.csv'), 'x');
    writeFileSync(join(home, 'mine.csv'), 'x');
    const files = incomingRegistry(createFileRegistry(), incoming);
    const sent = files.add({ path: join(incoming, 'a1', 'meta.csv'), name: 'meta.csv', bytes: 1 });
    const local = files.add({ path: join(home, 'mine.csv'), name: 'mine.csv', bytes: 1 });
    files.forget(sent.token);
    files.forget(local.token);
    expect(existsSync(join(incoming, 'a1'))).toBe(false);
    expect(existsSync(join(home, 'mine.csv'))).toBe(true);
    expect(() => files.get(local.token)).toThrow();
  });

  it('older than a week are removed at start', () => {
    const incoming = mkdtempSync(join(tmpdir(), 'md-inc-'));
    mkdirSync(join(incoming, 'old'));
    mkdirSync(join(incoming, 'new'));
    const tenDaysAgo = new Date(Date.now() - 10 * 24 * 3600 * 1000);
    utimesSync(join(incoming, 'old'), tenDaysAgo, tenDaysAgo);
    expect(pruneIncoming(incoming)).toBe(1);
    expect(existsSync(join(incoming, 'old'))).toBe(false);
    expect(existsSync(join(incoming, 'new'))).toBe(true);
  });
});
