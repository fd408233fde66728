// The Electron main process: one window, the IPC contract registered with sender checks and each
// input parsed, the settings of Electron's security checklist (security.ts), the dialogs and the
// session (safeStorage). The engine runs in a utility process (host-process.ts): main forwards to it.
import { join } from 'node:path';
import { app, dialog, ipcMain, protocol, safeStorage, session, shell, utilityProcess, type BrowserWindow } from 'electron';
import { createHostClient } from '../host/process/client.ts';
import type { Logger } from '../host/result.ts';
import { handleAppRequest } from './app-protocol.ts';
import { utilityHost } from './host-process.ts';
import { registerIpc } from './ipc.ts';
import { APP_SCHEME, denyAllPermissions } from './security.ts';
import { createSafeSessionStorage } from './session-storage.ts';
import { createShellHandlers } from './shell-handlers.ts';
import { createMainWindow, lockDownWebContents } from './window.ts';

const logger: Logger = {
  error: (m, d) => console.error(`[error] ${m}`, d ?? ''),
  warn: (m, d) => console.warn(`[warn] ${m}`, d ?? ''),
  info: (m, d) => console.info(`[info] ${m}`, d ?? ''),
};

// Before `ready`: our scheme is a secure, standard origin (so `app://metricdrop/` behaves like https).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();

async function start(): Promise<void> {
  // One instance: two would share the local store and the session.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  lockDownWebContents(app, logger);
  await app.whenReady();

  const ses = session.defaultSession;
  ses.setPermissionRequestHandler(denyAllPermissions);
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);

  const appRoot = app.getAppPath();
  const rendererRoot = join(appRoot, 'dist-renderer');
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(rendererRoot, request));

  const home = process.env.METRICDROP_HOME ?? app.getPath('userData');
  const sessionStorage = createSafeSessionStorage({
    safeStorage,
    file: join(home, 'session.enc'),
    platform: process.platform,
    warn: (m) => logger.warn(m),
  });
  let win: BrowserWindow | null = null;
  const host = createHostClient({
    spawn: () => utilityHost(utilityProcess, join(appRoot, 'dist-electron', 'host.cjs')),
    config: { home, shell: 'electron', version: app.getVersion(), secretStore: sessionStorage.secretStore, session: 'main' },
    session: sessionStorage,
    logger,
    // Progress goes to our window only.
    onEvent: (event, payload) => {
      if (win && !win.isDestroyed()) win.webContents.send(event, payload);
    },
  });
  const handlers = host.handlers;
  const shellHandlers = createShellHandlers({
    registerPaths: host.registerPaths,
    handlers,
    native: {
      showOpenDialog: (o) => (win ? dialog.showOpenDialog(win, o) : dialog.showOpenDialog(o)),
      showSaveDialog: (o) => (win ? dialog.showSaveDialog(win, o) : dialog.showSaveDialog(o)),
      openExternal: (url) => shell.openExternal(url),
    },
  });
  registerIpc(ipcMain, { ...handlers, ...shellHandlers }, logger);

  win = createMainWindow({ preload: join(appRoot, 'dist-electron', 'preload.cjs'), devTools: !app.isPackaged });
  app.on('second-instance', () => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  // The engine host closes its store before the app ends (an upload in flight resumes next time).
  let hostClosed = false;
  app.on('will-quit', (event: { preventDefault(): void }) => {
    if (hostClosed) return;
    event.preventDefault();
    void host.close().finally(() => {
      hostClosed = true;
      app.quit();
    });
  });
}

start().catch((err: unknown) => {
  logger.error('metricdrop failed to start', { error: err instanceof Error ? err.stack : String(err) });
  app.exit(1);
});
