import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafeSessionStorage, type SafeStorageLike } from './session-storage.ts';

/** Stands in for Electron's safeStorage: a reversible transform, so a test can see nothing is plain. */
function keychain(opts: { available: boolean; backend?: string }): SafeStorageLike {
  return {
    isEncryptionAvailable: () => opts.available,
    ...(opts.backend ? { getSelectedStorageBackend: () => opts.backend! } : {}),
    encryptString: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (buf) => Buffer.from(buf.map((b) => b ^ 0x5a)).toString('utf8'),
  };
}

const TOKEN = '{"access_token":"eyJhbGciOi.secret-token","refresh_token":"r1"}';

describe('the Supabase session in main, encrypted with safeStorage', () => {
  it('writes only ciphertext to disk, reads it back, and removes the file on sign-out', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'md-sess-')), 'session.enc');
    const warnings: string[] = [];
    const store = createSafeSessionStorage({
      safeStorage: keychain({ available: true, backend: 'gnome_libsecret' }),
      file,
      platform: 'linux',
      warn: (w) => warnings.push(w),
    });
    expect(store.secretStore).toBe('os');
    store.setItem('sb-auth-token', TOKEN);
    expect(readFileSync(file).toString('utf8')).not.toContain('secret-token');
    const again = createSafeSessionStorage({
      safeStorage: keychain({ available: true, backend: 'gnome_libsecret' }),
      file,
      platform: 'linux',
      warn: () => {},
    });
    expect(again.getItem('sb-auth-token')).toBe(TOKEN);
    again.removeItem('sb-auth-token');
    expect(existsSync(file)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it.each([
    ['no encryption at all', { available: false }, 'darwin'],
    ['Linux without a keyring (basic_text)', { available: true, backend: 'basic_text' }, 'linux'],
  ] as const)('with %s: keeps the session in memory only and warns', (_label, ks, platform) => {
    const file = join(mkdtempSync(join(tmpdir(), 'md-sess-')), 'session.enc');
    const warnings: string[] = [];
    const store = createSafeSessionStorage({ safeStorage: keychain(ks), file, platform, warn: (w) => warnings.push(w) });
    expect(store.secretStore).toBe('unavailable');
    store.setItem('sb-auth-token', TOKEN);
    expect(store.getItem('sb-auth-token')).toBe(TOKEN);
    expect(existsSync(file)).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/secret store/);
  });

  it('treats a file it cannot decrypt as signed out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-sess-'));
    const file = join(dir, 'session.enc');
    const broken: SafeStorageLike = {
      ...keychain({ available: true }),
      decryptString: () => {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      },
    };
    const writer = createSafeSessionStorage({ safeStorage: keychain({ available: true }), file, platform: 'win32', warn: () => {} });
    writer.setItem('k', 'v');
    const reader = createSafeSessionStorage({ safeStorage: broken, file, platform: 'win32', warn: () => {} });
    expect(reader.getItem('k')).toBeNull();
  });
});
