import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileRegistry, registerLocalPaths, safeFileName } from './files.ts';

describe('safeFileName', () => {
  it('keeps the last path segment and an accepted extension', () => {
    expect(safeFileName('meta sept.csv')).toBe('meta sept.csv');
    expect(safeFileName('../../etc/passwd.csv')).toBe('passwd.csv');
    expect(safeFileName('C:\\Users\\x\\google.TSV')).toBe('google.TSV');
  });
  it('refuses names without an accepted extension, hidden names and control characters only', () => {
    expect(safeFileName('report.xlsx')).toBeNull();
    expect(safeFileName('evil.csv.exe')).toBeNull();
    expect(safeFileName('.csv')).toBeNull();
    expect(safeFileName('..')).toBeNull();
    expect(safeFileName('a\u0000b.csv')).toBe('ab.csv');
  });
  it('shortens very long names but keeps the extension', () => {
    const name = safeFileName(`${'x'.repeat(300)}.csv`)!;
    expect(name.length).toBe(120);
    expect(name.endsWith('.csv')).toBe(true);
  });
});

describe('file registry', () => {
  it('hands out tokens, never paths, and forgets them', () => {
    const reg = createFileRegistry();
    const ref = reg.add({ path: '/tmp/x.csv', name: 'x.csv', bytes: 3 });
    expect(ref).toEqual({ token: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'x.csv', bytes: 3 });
    expect(JSON.stringify(ref)).not.toContain('/tmp');
    expect(reg.get(ref.token).path).toBe('/tmp/x.csv');
    reg.forget(ref.token);
    expect(() => reg.get(ref.token)).toThrow(/no longer open/);
  });

  it('registers real files from the OS and refuses relative paths, other types, folders and missing files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-files-'));
    writeFileSync(join(dir, 'meta.csv'), 'a,b\n1,2\n');
    writeFileSync(join(dir, 'notes.pdf'), '%PDF');
    mkdirSync(join(dir, 'folder.csv'));
    const reg = createFileRegistry();
    const [ref] = await registerLocalPaths(reg, [join(dir, 'meta.csv')]);
    expect(ref).toMatchObject({ name: 'meta.csv', bytes: 8 });
    await expect(registerLocalPaths(reg, ['meta.csv'])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(registerLocalPaths(reg, [join(dir, 'notes.pdf')])).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
    await expect(registerLocalPaths(reg, [join(dir, 'folder.csv')])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(registerLocalPaths(reg, [join(dir, 'gone.csv')])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
