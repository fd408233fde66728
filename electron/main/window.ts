import { BrowserWindow, shell, type App, type WebContents } from 'electron';
import type { Logger } from '../host/result.ts';
import { APP_ENTRY, isAllowedExternalUrl, isAllowedNavigation, secureWebPreferences } from './security.ts';

/**
 * Locks down every web contents the app ever creates (checklist items 11-14): navigation outside
 * the bundle is cancelled, new windows are denied (an allow-listed https link opens in the
 * browser instead), <webview> cannot attach.
 */
export function lockDownWebContents(app: App, logger: Logger): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAllowedNavigation(url)) {
        event.preventDefault();
        logger.warn('navigation blocked', { url });
      }
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isAllowedNavigation(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAllowedNavigation(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      else logger.warn('window.open blocked', { url });
      return { action: 'deny' };
    });
  });
}

export function createMainWindow(opts: { preload: string; devTools: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1320,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'metricdrop',
    backgroundColor: '#f5f6f8',
    webPreferences: secureWebPreferences(opts.preload, opts.devTools),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return win;
}
