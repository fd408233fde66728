import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { composeAppEngine } from '../host/compose.ts';
import { createEventHub } from '../host/events.ts';
import { createFileRegistry, registerLocalPaths } from '../host/files.ts';
import { createHandlers } from '../host/handlers.ts';
import { createShellHandlers, type NativeShell } from './shell-handlers.ts';

/**
 * The Electron-only channels with the real engine (a fresh local store) and scripted answers in
 * place of the OS dialogs, which only a person can click.
 */
const fixture = fileURLToPath(new URL('../../test/fixtures/meta/ad-daily-row-errors.csv', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'md-shell-'));
const logger = { error() {}, warn() {}, info() {} };
const composed = composeAppEngine({ home, logger });
afterAll(() => composed.close());

function setup(answers: { open?: string[] | null; save?: string | null }) {
  const opened: string[] = [];
  const asked: { open: unknown[]; save: unknown[] } = { open: [], save: [] };
  const native: NativeShell = {
    async showOpenDialog(o) {
      asked.open.push(o);
      return answers.open ? { canceled: false, filePaths: answers.open } : { canceled: true, filePaths: [] };
    },
    async showSaveDialog(o) {
      asked.save.push(o);
      return answers.save ? { canceled: false, filePath: answers.save } : { canceled: true };
    },
    async openExternal(url) {
      opened.push(url);
    },
  };
  const files = createFileRegistry();
  const handlers = createHandlers({
    engine: composed.engine,
    files,
    shell: 'electron',
    version: 't',
    secretStore: 'os',
    emit: createEventHub().emit,
    logger,
  });
  return {
    shell: createShellHandlers({ native, registerPaths: (paths) => registerLocalPaths(files, paths), handlers }),
    handlers,
    opened,
    asked,
  };
}

describe('Electron shell channels', () => {
  it('opens the OS dialog for exports only and answers tokens for the chosen files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-pick-'));
    const path = join(dir, 'meta.csv');
    copyFileSync(fixture, path);
    const { shell, asked } = setup({ open: [path] });
    const refs = await shell['files:pick']({});
    expect(refs).toEqual([{ token: expect.stringMatching(/^[0-9a-f]{32}$/), name: 'meta.csv', bytes: readFileSync(path).length }]);
    expect(asked.open[0]).toMatchObject({
      properties: ['openFile', 'multiSelections'],
      filters: [{ extensions: ['csv', 'tsv', 'txt', 'xlsx', 'zip'] }],
    });
    expect(await setup({ open: null }).shell['files:pick']({})).toEqual([]);
  });

  it('re-checks what the dialog returned: a file of another type is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-pick-'));
    writeFileSync(join(dir, 'report.pdf'), 'PK');
    await expect(setup({ open: [join(dir, 'report.pdf')] }).shell['files:pick']({})).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
  });

  it('saves the errors CSV where the person chose, adding .csv, and writes nothing when they cancel', async () => {
    const out = mkdtempSync(join(tmpdir(), 'md-save-'));
    const { shell, asked } = setup({ save: join(out, 'errors-for-anna') });
    const [ref] = await shell['files:register']({ paths: [fixture] });
    expect(await shell['files:saveErrorsCsv']({ token: ref!.token })).toEqual({ saved: true, fileName: join(out, 'errors-for-anna.csv') });
    expect(asked.save[0]).toMatchObject({ defaultPath: 'ad-daily-row-errors-errors.csv' });
    const csv = readFileSync(join(out, 'errors-for-anna.csv'), 'utf8');
    expect(csv.split('\r\n')[1]).toMatch(/^"4","Amount spent \(USD\)","INVALID_VALUE","error",/);

    const cancelled = setup({ save: null });
    const [ref2] = await cancelled.shell['files:register']({ paths: [fixture] });
    expect(await cancelled.shell['files:saveErrorsCsv']({ token: ref2!.token })).toEqual({ saved: false, fileName: null });
  });

  it('opens only allow-listed https links in the browser', async () => {
    const { shell, opened } = setup({});
    expect(await shell['app:openExternal']({ url: 'https://supabase.com/docs' })).toEqual({ opened: true });
    expect(await shell['app:openExternal']({ url: 'file:///etc/passwd' })).toEqual({ opened: false });
    expect(await shell['app:openExternal']({ url: 'https://evil.example/' })).toEqual({ opened: false });
    expect(opened).toEqual(['https://supabase.com/docs']);
  });
});
