import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { channels, eventNames, shellChannels, type Api } from '../../shared/ipc-contract.ts';

/**
 * Runs the real preload bundle (as esbuild builds it for Electron) in a fresh V8 context whose
 * `require('electron')` gives recording stand-ins for contextBridge, ipcRenderer and webUtils.
 */
let bundle = '';
beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0]!.text;
});

function runPreload(paths: Record<string, string> = {}) {
  const exposed: { key: string; api: Api }[] = [];
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: Api) => exposed.push({ key, api }) },
    ipcRenderer: {
      invoke: async (channel: string, ...args: unknown[]) => {
        invoked.push({ channel, args });
        return { ok: true, value: [{ token: 'f'.repeat(32), name: 'x.csv', bytes: 1 }] };
      },
      on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(l);
      },
      removeListener: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => listeners.get(channel)?.delete(l),
      send: () => {
        throw new Error('the preload must not use ipcRenderer.send');
      },
    },
    webUtils: { getPathForFile: (file: { name: string }) => paths[file.name] ?? '' },
  };
  const module = { exports: {} };
  runInNewContext(bundle, {
    require: (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`sandboxed preload cannot require ${name}`);
      return electron;
    },
    module,
    exports: module.exports,
    console,
  });
  return { exposed, invoked, listeners, required };
}

describe('the preload', () => {
  it('requires only electron and exposes one object, window.metricdrop', () => {
    const { exposed, required } = runPreload();
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(exposed.map((e) => e.key)).toEqual(['metricdrop']);
  });

  it('exposes exactly one function per channel and event of the contract, plus addDropped, and nothing else', () => {
    const api = runPreload().exposed[0]!.api as unknown as Record<string, Record<string, unknown>>;
    const names: string[] = [];
    for (const [domain, fns] of Object.entries(api)) {
      for (const [name, fn] of Object.entries(fns)) {
        expect(typeof fn).toBe('function');
        names.push(`${domain}:${name}`);
      }
    }
    const expected = [
      ...channels,
      ...shellChannels,
      ...eventNames.map((e) => e.replace(/:(\w)/, (_m, c: string) => `:on${c.toUpperCase()}`)),
      'files:addDropped',
    ];
    expect(names.sort()).toEqual(expected.sort());
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipcRenderer|invoke|send|require/);
  });

  it('sends each call on its own channel with the input as given', async () => {
    const { exposed, invoked } = runPreload();
    const api = exposed[0]!.api;
    await api.files.validate({ token: 'a'.repeat(32) });
    await api.history.list({ platform: 'meta' });
    expect(invoked).toEqual([
      { channel: 'files:validate', args: [{ token: 'a'.repeat(32) }] },
      { channel: 'history:list', args: [{ platform: 'meta' }] },
    ]);
  });

  it('gives event callbacks the payload only, never the Electron event, and unsubscribes', () => {
    const { exposed, listeners } = runPreload();
    const got: unknown[][] = [];
    const stop = exposed[0]!.api.uploads.onProgress((...args: unknown[]) => got.push(args));
    const fakeEvent = { sender: { send() {} }, senderFrame: {} };
    for (const l of listeners.get('uploads:progress')!) l(fakeEvent, { stage: 'facts', done: 1 });
    expect(got).toEqual([[{ stage: 'facts', done: 1 }]]);
    stop();
    expect(listeners.get('uploads:progress')!.size).toBe(0);
  });

  it('reads dropped files\u2019 paths itself and refuses objects that are not files on disk', async () => {
    const { exposed, invoked } = runPreload({ 'meta.csv': '/home/ann/Downloads/meta.csv' });
    const api = exposed[0]!.api;
    const ok = await api.files.addDropped([{ name: 'meta.csv', size: 10 }]);
    expect(ok.ok).toBe(true);
    expect(invoked).toEqual([{ channel: 'files:register', args: [{ paths: ['/home/ann/Downloads/meta.csv'] }] }]);
    const forged = await api.files.addDropped([{ name: 'made-up.csv', size: 1 }]);
    expect(forged).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(invoked).toHaveLength(1);
  });
});
