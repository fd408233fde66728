import type { WebPreferences } from 'electron';

/** The window's origin: the bundle served by our `app://` protocol, never `file://`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'metricdrop';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * Electron's own security checklist (the Security page of its documentation) as the window's
 * preferences: context isolation, the process sandbox, no Node.js anywhere in the page, web security
 * on, no insecure content, experimental or Blink features, no <webview>, no navigation by dropping a
 * file.
 */
export function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools,
  };
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for a page of our own bundle (`app://metricdrop/...`). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** The window may only navigate within its own bundle; everything else is refused. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** Links the app may open in the person's browser: https, on these hosts, no credentials, default port. */
export const EXTERNAL_HOSTS = [
  'supabase.com',
  'github.com',
  'www.facebook.com',
  'ads.google.com',
  'support.google.com',
  'ads.tiktok.com',
] as const;

export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  const u = parse(url);
  if (u === null || u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.port !== '') return false;
  return hosts.includes(u.hostname);
}

/** What an IPC event tells us about who sent it (Electron's `IpcMainInvokeEvent`, narrowed). */
export interface IpcSender {
  senderFrame: { url: string; parent: unknown } | null;
}

/**
 * Only the top frame of our own bundle may call the engine: not a frame of another origin, not a
 * sub-frame, not a destroyed frame.
 */
export function isTrustedSender(event: IpcSender): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Every permission request (camera, microphone, geolocation, notifications, …) is refused. */
export function denyAllPermissions(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}
