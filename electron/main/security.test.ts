import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  denyAllPermissions,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isTrustedSender,
  secureWebPreferences,
} from './security.ts';

describe('the window preferences (Electron checklist items 2-4, 6, 8-11)', () => {
  const prefs = secureWebPreferences('/app/dist-electron/preload.cjs', false);
  it('isolates the page and keeps Node.js out of it', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });
  it('keeps web security on and everything experimental off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs.preload).toBe('/app/dist-electron/preload.cjs');
  });
  it('loads the bundle from the app:// protocol, never file://', () => {
    expect(APP_ENTRY).toBe('app://metricdrop/index.html');
  });
});

describe('navigation (item 13) and new windows (item 14)', () => {
  it.each(['app://metricdrop/index.html', 'app://metricdrop/'])('allows %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(true);
  });
  it.each([
    'https://evil.example/',
    'file:///etc/passwd',
    'app://evil/index.html',
    'app://user:pw@metricdrop/index.html',
    'javascript:alert(1)',
    'http://127.0.0.1:5173/',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });
});

describe('shell.openExternal only for allow-listed https links (item 15)', () => {
  it.each(['https://supabase.com/docs', 'https://github.com/metricdrop'])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });
  it.each([
    'http://supabase.com/',
    'file:///C:/Windows/System32/calc.exe',
    'smb://attacker/share',
    'javascript:alert(1)',
    'https://supabase.com.evil.example/',
    'https://user@supabase.com/',
    'https://supabase.com:8443/',
    'ms-msdt:/id PCWDiagnostic',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

describe('IPC sender validation (item 17)', () => {
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });
  it('trusts only the top frame of our bundle', () => {
    expect(isTrustedSender(frame('app://metricdrop/index.html'))).toBe(true);
    expect(isTrustedSender(frame('https://evil.example/'))).toBe(false);
    expect(isTrustedSender(frame('file:///tmp/x.html'))).toBe(false);
    expect(isTrustedSender(frame('app://metricdrop/index.html', {}))).toBe(false);
    expect(isTrustedSender({ senderFrame: null })).toBe(false);
  });
});

describe('permission requests (item 5)', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen'])('denies %s', (permission) => {
    let granted: boolean | null = null;
    denyAllPermissions({}, permission, (g) => (granted = g));
    expect(granted).toBe(false);
  });
});
