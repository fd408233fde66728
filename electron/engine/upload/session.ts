import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import WebSocket from 'ws';
import * as z from 'zod';
import { AppError } from '../../../shared/errors.ts';

/**
 * Where supabase-js keeps the signed-in session. The command line uses a 0600 file in the data
 * folder; the desktop app passes one that encrypts with the OS keychain (safeStorage).
 */
export interface SessionStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

function writePrivate(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path); // atomic: a crash never leaves half a session file
}

/** A JSON file readable only by the user (mode 0600), written atomically. */
export class FileSessionStorage implements SessionStorage {
  constructor(private readonly path: string) {}
  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    try {
      const parsed = z.record(z.string(), z.string()).safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {}; // a damaged session file means "signed out", never a crash
    }
  }
  getItem(key: string): string | null {
    return this.read()[key] ?? null;
  }
  setItem(key: string, value: string): void {
    writePrivate(this.path, JSON.stringify({ ...this.read(), [key]: value }));
  }
  removeItem(key: string): void {
    const all = this.read();
    delete all[key];
    if (Object.keys(all).length === 0) rmSync(this.path, { force: true });
    else writePrivate(this.path, JSON.stringify(all));
  }
}

export const Connection = z.object({
  url: z.string().url(),
  anonKey: z.string().min(10),
  email: z.string().email().optional(),
  /** The user last signed in here, so offline work knows whose clients to show. */
  userId: z.string().uuid().optional(),
});
export type Connection = z.infer<typeof Connection>;

/** Project URL, anon key and last email: not secret, kept beside the session. */
export class ConnectionFile {
  constructor(private readonly path: string) {}
  static inHome(home: string): ConnectionFile {
    return new ConnectionFile(join(home, 'connection.json'));
  }
  read(): Connection | null {
    if (!existsSync(this.path)) return null;
    try {
      const parsed = Connection.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }
  write(c: Connection): void {
    writePrivate(this.path, JSON.stringify(c, null, 2));
  }
  clear(): void {
    rmSync(this.path, { force: true });
  }
}

export function assertNotServiceKey(anonKey: string): void {
  // The app must never hold a service-role key: refuse one if a user pastes it by mistake.
  const parts = anonKey.split('.');
  if (parts.length === 3 && parts[1]) {
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { role?: unknown };
      if (claims.role === 'service_role') {
        throw new AppError('INVALID_INPUT', "That is a service-role key. metricdrop only takes the project's anon (publishable) key.");
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
    }
  }
  if (anonKey.startsWith('sb_secret_')) {
    throw new AppError('INVALID_INPUT', "That is a secret key. metricdrop only takes the project's anon (publishable) key.");
  }
}

/**
 * The key the session is kept under, chosen here rather than left to supabase-js's default (derived
 * from the host name) so the engine can tell offline whether a session is kept at all.
 */
export const SESSION_STORAGE_KEY = 'metricdrop-auth-session';

/** Longest wait for one HTTP answer: a stalled network fails (and is retried) instead of hanging. */
export const REQUEST_TIMEOUT_MS = 30_000;

export function withTimeout(base: typeof fetch, ms: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    return base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}

type RealtimeTransport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

export function createSupabase(conn: Connection, storage: SessionStorage, fetchImpl?: typeof fetch): SupabaseClient {
  assertNotServiceKey(conn.anonKey);
  const timedFetch = withTimeout(fetchImpl ?? globalThis.fetch, REQUEST_TIMEOUT_MS);
  return createClient(conn.url, conn.anonKey, {
    auth: {
      storage,
      storageKey: SESSION_STORAGE_KEY,
      persistSession: true,
      // No background timer: the session is refreshed before a request when it is near expiry
      // (supabase-js does that in getSession), which suits a command that ends.
      autoRefreshToken: false,
      detectSessionInUrl: false,
    },
    // ws's WebSocket is what realtime-js expects on Node; its typings differ from the DOM's in event types.
    realtime: { transport: WebSocket as unknown as RealtimeTransport },
    global: { fetch: timedFetch },
  });
}
