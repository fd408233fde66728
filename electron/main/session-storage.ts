import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Electron's `safeStorage`, narrowed (tests pass their own). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only: `basic_text` means no secret store, i.e. a hard-coded key. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The engine's `SessionStorage` (supabase-js auth storage). */
export interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface SafeSessionStorage extends SessionStorageLike {
  /** `os`: encrypted with the OS keychain and kept; `unavailable`: kept in memory only. */
  readonly secretStore: 'os' | 'unavailable';
}

/** True when the OS offers a real secret store (Keychain, DPAPI, libsecret/kwallet). */
export function hasSecretStore(safe: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safe.isEncryptionAvailable()) return false;
  if (platform === 'linux' && safe.getSelectedStorageBackend) {
    const backend = safe.getSelectedStorageBackend();
    return backend !== 'basic_text' && backend !== 'unknown';
  }
  return true;
}

/**
 * The Supabase session, kept by the main process only and encrypted with `safeStorage` in one file.
 * Without a secret store the session stays in memory: nobody finds a readable token on disk, and
 * the window says that the person will sign in again next time.
 */
export function createSafeSessionStorage(opts: {
  safeStorage: SafeStorageLike;
  file: string;
  platform: NodeJS.Platform;
  warn(message: string): void;
}): SafeSessionStorage {
  const persistent = hasSecretStore(opts.safeStorage, opts.platform);
  let memory: Record<string, string> = {};
  if (!persistent) {
    opts.warn('No OS secret store is available: the sign-in is kept in memory only and not saved to disk.');
    rmSync(opts.file, { force: true });
  }

  const read = (): Record<string, string> => {
    if (!persistent) return memory;
    if (!existsSync(opts.file)) return {};
    try {
      const parsed: unknown = JSON.parse(opts.safeStorage.decryptString(readFileSync(opts.file)));
      if (parsed === null || typeof parsed !== 'object') return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
    } catch {
      return {}; // undecryptable (another user, another machine): signed out, never a crash
    }
  };
  const write = (all: Record<string, string>): void => {
    if (!persistent) {
      memory = all;
      return;
    }
    if (Object.keys(all).length === 0) {
      rmSync(opts.file, { force: true });
      return;
    }
    mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
    const tmp = `${opts.file}.tmp`;
    writeFileSync(tmp, opts.safeStorage.encryptString(JSON.stringify(all)), { mode: 0o600 });
    renameSync(tmp, opts.file);
  };

  return {
    secretStore: persistent ? 'os' : 'unavailable',
    getItem: (key) => read()[key] ?? null,
    setItem: (key, value) => write({ ...read(), [key]: value }),
    removeItem: (key) => {
      const { [key]: _gone, ...rest } = read();
      write(rest);
    },
  };
}
