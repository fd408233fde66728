import { describe, expect, it } from 'vitest';
import { channels, shellChannels, type Result } from '../../shared/ipc-contract.ts';
import { createEventHub } from '../host/events.ts';
import { createFileRegistry, registerLocalPaths } from '../host/files.ts';
import { createHandlers } from '../host/handlers.ts';
import { unusedEngine } from '../../test/support/unused-engine.ts';
import { registerIpc, type IpcMainLike } from './ipc.ts';
import type { IpcSender } from './security.ts';
import { createShellHandlers } from './shell-handlers.ts';

type Listener = (event: IpcSender, input: unknown) => Promise<Result<unknown>>;

/** Records handlers like Electron's ipcMain does. */
function recordingIpcMain() {
  const registered = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle(channel, listener) {
      registered.set(channel, listener);
    },
    removeHandler(channel) {
      registered.delete(channel);
    },
  };
  return { ipc, registered };
}

function setup() {
  const files = createFileRegistry();
  const logger = { error() {}, warn() {}, info() {} };
  const handlers = createHandlers({
    engine: unusedEngine(),
    files,
    shell: 'electron',
    version: '0.1.0',
    secretStore: 'os',
    emit: createEventHub().emit,
    logger,
  });
  const native = {
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showSaveDialog: async () => ({ canceled: true }),
    openExternal: async () => {},
  };
  const shell = createShellHandlers({ native, registerPaths: (paths) => registerLocalPaths(files, paths), handlers });
  const { ipc, registered } = recordingIpcMain();
  const unregister = registerIpc(ipc, { ...handlers, ...shell }, logger);
  return { registered, unregister };
}

const ours: IpcSender = { senderFrame: { url: 'app://metricdrop/index.html', parent: null } };
const foreign: IpcSender = { senderFrame: { url: 'https://evil.example/', parent: null } };

describe('registerIpc', () => {
  it('registers exactly the channels of the contract and the shell, and unregisters them', () => {
    const { registered, unregister } = setup();
    expect([...registered.keys()].sort()).toEqual([...channels, ...shellChannels].sort());
    unregister();
    expect(registered.size).toBe(0);
  });

  it('answers the window of our bundle', async () => {
    const { registered } = setup();
    expect(await registered.get('app:info')!(ours, {})).toEqual({ ok: true, value: { shell: 'electron', version: '0.1.0' } });
  });

  it('refuses every channel when the sender is another origin, a sub-frame or gone', async () => {
    const { registered } = setup();
    const subFrame: IpcSender = { senderFrame: { url: 'app://metricdrop/index.html', parent: {} } };
    for (const sender of [foreign, subFrame, { senderFrame: null }]) {
      for (const [, listener] of registered) {
        expect(await listener(sender, {})).toMatchObject({ ok: false, error: { code: 'NOT_AUTHORIZED' } });
      }
    }
  });

  it('parses input before any handler runs', async () => {
    const { registered } = setup();
    const r = await registered.get('files:register')!(ours, { paths: 'C:\\Windows\\win.ini' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const open = await registered.get('app:openExternal')!(ours, { url: 'file:///etc/passwd' });
    expect(open).toEqual({ ok: true, value: { opened: false } });
  });
});
