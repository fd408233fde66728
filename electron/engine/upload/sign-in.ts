import type { SupabaseClient } from '@supabase/supabase-js';
import { AppError, isResumable } from '../../../shared/errors.ts';
import { knownClients, rememberClients, type KnownClient } from '../store/known-clients.ts';
import { currentUser, fetchClients, signInWithPassword, type SignedInUser } from './account.ts';
import type { UploadContext } from './context.ts';
import { SESSION_STORAGE_KEY, type Connection } from './session.ts';

/** The stored session with its client: what every call that needs the server starts from. */
export interface SignedInSession {
  conn: Connection;
  sb: SupabaseClient;
  user: SignedInUser;
}

/** Who is signed in and the clients they can use; `online: false` when it is what was seen last. */
export interface WhoAmI {
  user: SignedInUser;
  url: string;
  online: boolean;
  clients: KnownClient[];
}

/** A settled answer is reused this long when asked for (a screen's burst of calls: session, workspaces, clients). */
export const WHO_REUSE_MS = 3_000;
/** How long to wait for the project before answering who is signed in from this computer. */
export const DEFAULT_PATIENCE_MS = 20_000;

/**
 * Sign-in, sign-out and who is signed in. `whoami` asks the project once for a burst of calls
 * (a second caller while an ask is in flight shares it), waits for it at most `patienceMs` of the
 * engine's clock, and answers from this computer (offline) when the project is late or failing.
 */
export function createSignIn(ctx: UploadContext) {
  const patienceMs = ctx.deps.patienceMs ?? DEFAULT_PATIENCE_MS;
  let last: { answer: Promise<WhoAmI | null>; settledAt: number | null } | null = null;

  async function signedIn(): Promise<SignedInSession | null> {
    const conn = ctx.connections.read();
    if (!conn) return null;
    const sb = ctx.client(conn);
    const user = await currentUser(sb);
    return user ? { conn, sb, user } : null;
  }

  /** The signed-in session, or NOT_SIGNED_IN for what needs the server. */
  async function requireSession(): Promise<SignedInSession> {
    const session = await signedIn();
    if (!session) throw new AppError('NOT_SIGNED_IN', 'Not signed in. Run `metricdrop login` (or sign in in the app) first.');
    return session;
  }

  /** The user's clients from the project, remembered for offline work. */
  async function refreshClients(session: SignedInSession): Promise<KnownClient[]> {
    const list = await fetchClients(session.sb, session.user);
    rememberClients(ctx.db, session.conn.url, session.user.id, list, ctx.now());
    return list;
  }

  /** The clients seen last for the signed-in user on this server (offline). */
  function clientsSeenLast(conn: Connection): KnownClient[] {
    return conn.userId ? knownClients(ctx.db, conn.url, conn.userId) : [];
  }

  /** Who was signed in here and the clients seen last, without asking the project (marked offline). */
  async function whoamiOffline(): Promise<WhoAmI | null> {
    const conn = ctx.connections.read();
    if (!conn?.userId) return null;
    if (!(await ctx.deps.sessionStorage.getItem(SESSION_STORAGE_KEY))) return null;
    return { user: { id: conn.userId, email: conn.email ?? '' }, url: conn.url, online: false, clients: clientsSeenLast(conn) };
  }

  async function askProject(): Promise<WhoAmI | null> {
    const s = await signedIn().catch(() => null);
    if (!s) return await whoamiOffline();
    return { user: s.user, url: s.conn.url, online: true, clients: await refreshClients(s) };
  }

  /** The project's answer, or this computer's when the project is late or its trouble passes (isResumable). */
  async function askWithPatience(): Promise<WhoAmI | null> {
    if (!ctx.connections.read()?.userId) return null;
    const stop = new AbortController();
    const late = ctx.deps.sleep(patienceMs, stop.signal).then(
      () => 'late' as const,
      () => 'stopped' as const,
    );
    try {
      const answer = await Promise.race([askProject(), late]);
      return answer === 'late' || answer === 'stopped' ? await whoamiOffline() : answer;
    } catch (err) {
      if (err instanceof AppError && isResumable(err.code)) return await whoamiOffline();
      throw err;
    } finally {
      stop.abort();
    }
  }

  /**
   * Who is signed in and which clients they can use; offline or when the project is late, what was
   * seen last. `reuseRecent`: a settled answer younger than WHO_REUSE_MS is given again.
   */
  function whoami(opts: { reuseRecent?: boolean } = {}): Promise<WhoAmI | null> {
    const now = ctx.now().getTime();
    if (last && last.settledAt === null) return last.answer;
    if (last && opts.reuseRecent === true && last.settledAt !== null && now - last.settledAt < WHO_REUSE_MS) return last.answer;
    const mine: NonNullable<typeof last> = { answer: askWithPatience(), settledAt: null };
    last = mine;
    mine.answer.then(
      () => void (mine.settledAt = ctx.now().getTime()),
      () => void (last === mine ? (last = null) : undefined),
    );
    return mine.answer;
  }

  return {
    signedIn,
    requireSession,
    refreshClients,
    clientsSeenLast,
    whoami,
    whoamiOffline,

    /** Signs in with email and password and remembers the project and the session in the data folder. */
    async signIn(input: { url: string; anonKey: string; email: string; password: string }) {
      last = null;
      const conn: Connection = { url: input.url.replace(/\/+$/, ''), anonKey: input.anonKey, email: input.email };
      const sb = ctx.client(conn);
      const user = await signInWithPassword(sb, input.email, input.password);
      ctx.connections.write({ ...conn, userId: user.id });
      const clients = await refreshClients({ conn, sb, user });
      last = null;
      return { user, url: conn.url, clients };
    },

    async signOut(): Promise<void> {
      last = null;
      const conn = ctx.connections.read();
      if (conn) {
        // Revokes the refresh token on the server when reachable; the local session goes either way
        // (supabase-js keeps it in storage when the server could not be reached, so it is removed here).
        await ctx
          .client(conn)
          .auth.signOut()
          .catch(() => undefined);
        await ctx.deps.sessionStorage.removeItem(SESSION_STORAGE_KEY);
        ctx.connections.write({ url: conn.url, anonKey: conn.anonKey, ...(conn.email ? { email: conn.email } : {}) });
      }
      last = null;
    },

    /** The project URL, anon key and email last used here (no secret). */
    connection: () => ctx.connections.read(),
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
