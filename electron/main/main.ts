// The Electron main process: one window, the engine built with its dependencies, the IPC contract
// registered with sender checks, and the security settings of reliability.md §1.
import { join } from 'node:path';
import { app, dialog, ipcMain, protocol, safeStorage, session, shell, type BrowserWindow } from 'electron';
import { composeAppEngine } from '../host/compose.ts';
import { createEventHub } from '../host/events.ts';
import { createFileRegistry } from '../host/files.ts';
import { createHandlers } from '../host/handlers.ts';
import type { Logger } from '../host/result.ts';
import { handleAppRequest } from './app-protocol.ts';
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
  const hub = createEventHub();
  const files = createFileRegistry();
  const { engine, close } = composeAppEngine({ home, logger, sessionStorage });
  const handlers = createHandlers({
    engine,
    files,
    shell: 'electron',
    version: app.getVersion(),
    secretStore: sessionStorage.secretStore,
    emit: hub.emit,
    logger,
  });

  let win: BrowserWindow | null = null;
  const shellHandlers = createShellHandlers({
    files,
    handlers,
    native: {
      showOpenDialog: (o) => (win ? dialog.showOpenDialog(win, o) : dialog.showOpenDialog(o)),
      showSaveDialog: (o) => (win ? dialog.showSaveDialog(win, o) : dialog.showSaveDialog(o)),
      openExternal: (url) => shell.openExternal(url),
    },
  });
  registerIpc(ipcMain, { ...handlers, ...shellHandlers }, logger);

  win = createMainWindow({ preload: join(appRoot, 'dist-electron', 'preload.cjs'), devTools: !app.isPackaged });
  // Progress goes to our window only.
  hub.listen((event, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(event, payload);
  });
  app.on('second-instance', () => {
    if (win && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => close());
}

start().catch((err: unknown) => {
  logger.error('metricdrop failed to start', { error: err instanceof Error ? err.stack : String(err) });
  app.exit(1);
});
