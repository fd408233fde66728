import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileRegistry, refusedFileReport, registerLocalPaths, safeFileName } from './files.ts';

describe('safeFileName', () => {
  it('keeps the last path segment and an accepted extension', () => {
    expect(safeFileName('meta sept.csv')).toBe('meta sept.csv');
    expect(safeFileName('../../etc/passwd.csv')).toBe('passwd.csv');
    expect(safeFileName('C:\\Users\\x\\google.TSV')).toBe('google.TSV');
  });
  it('refuses names without an accepted extension, hidden names and control characters only', () => {
    expect(safeFileName('report.xls')).toBeNull();
    expect(safeFileName('report.xlsx')).toBe('report.xlsx');
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

describe('a dropped .zip of exports', () => {
  it('becomes one file per export inside, each a temporary copy removed when forgotten; a refused one keeps its refusal', async () => {
    const { existsSync, copyFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'md-files-zip-'));
    const zip = join(dir, 'Overview_cards.zip');
    copyFileSync(join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'zip', 'google-overview-cards.zip'), zip);
    const reg = createFileRegistry();
    const refs = await registerLocalPaths(reg, [zip]);
    expect(refs.map((r) => r.name)).toEqual([
      'Overview_cards.zip › Campaigns(2025.09.01-2025.09.03).csv',
      'Overview_cards.zip › cards/Campaign report.xlsx',
      'Overview_cards.zip › Demographics(Age_2025.09.01-2025.09.03).csv',
      'Overview_cards.zip › older cards.zip',
    ]);
    const first = reg.get(refs[0]!.token);
    expect(first.temporary).toBe(true);
    expect(existsSync(first.path)).toBe(true);
    expect(reg.get(refs[3]!.token).refusal?.code).toBe('UNKNOWN_FORMAT');
    expect(refusedFileReport(reg.get(refs[3]!.token)).refused?.message).toMatch(/archive inside the archive/);
    await reg.forget(refs[0]!.token);
    expect(existsSync(first.path)).toBe(false);
    expect(existsSync(reg.get(refs[1]!.token).path)).toBe(true);
  });
});
