import { endWithAppError } from '../app-error.ts';
import { UsageError, type ParsedArgs } from '../args.ts';
import { EXIT, type CommandContext } from '../command.ts';
import { write } from '../io.ts';

/** Reads a password without echo on a terminal, or the first line of piped standard input. */
export async function readPassword(ctx: CommandContext): Promise<string> {
  const stdin = ctx.io.stdin as NodeJS.ReadStream;
  await write(ctx.io.stderr, 'Password: ');
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    const tty = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
    if (tty) stdin.setRawMode(true);
    stdin.setEncoding?.('utf8');
    const done = (value: string) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (tty) stdin.setRawMode(false);
      stdin.pause?.();
      resolve(value);
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of String(chunk)) {
        if (ch === '\u0003') {
          if (tty) stdin.setRawMode(false);
          reject(new UsageError('Sign-in cancelled.'));
          return;
        }
        if (ch === '\r' || ch === '\n') return done(text);
        if (ch === '\u007f') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const onEnd = () => done(text);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume?.();
  });
  await write(ctx.io.stderr, '\n');
  return line;
}

/** Commands that need the server sign in from METRICDROP_* variables when no session is kept yet. */
export async function signInFromEnvIfNeeded(ctx: CommandContext): Promise<void> {
  const env = ctx.io.env;
  const uploads = ctx.engine().uploads;
  const url = env.METRICDROP_SUPABASE_URL;
  const anonKey = env.METRICDROP_SUPABASE_ANON_KEY;
  const email = env.METRICDROP_EMAIL;
  const password = env.METRICDROP_PASSWORD;
  if (!url || !anonKey || !email || !password) return;
  const who = await uploads.whoami().catch(() => null);
  if (who && who.url === url.replace(/\/+$/, '') && who.user.email === email) return;
  await uploads.signIn({ url, anonKey, email, password });
}

export async function runLogin(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  const env = ctx.io.env;
  const uploads = ctx.engine().uploads;
  const last = uploads.connection();
  const url = (args.flags.url as string | undefined) ?? env.METRICDROP_SUPABASE_URL ?? last?.url;
  const anonKey = (args.flags['anon-key'] as string | undefined) ?? env.METRICDROP_SUPABASE_ANON_KEY ?? last?.anonKey;
  const email = (args.flags.email as string | undefined) ?? env.METRICDROP_EMAIL ?? last?.email;
  if (!url) throw new UsageError('No project URL: pass --url or set METRICDROP_SUPABASE_URL.');
  if (!anonKey) throw new UsageError('No anon key: pass --anon-key or set METRICDROP_SUPABASE_ANON_KEY.');
  if (!email) throw new UsageError('No email: pass --email or set METRICDROP_EMAIL.');
  const password = env.METRICDROP_PASSWORD ?? (await readPassword(ctx));
  try {
    const s = await uploads.signIn({ url, anonKey, email, password });
    if (args.flags.json) await write(ctx.io.stdout, `${JSON.stringify({ user: s.user, url: s.url, clients: s.clients })}\n`);
    else {
      const ws = [...new Set(s.clients.map((c) => c.workspaceName))];
      await write(ctx.io.stdout, `Signed in to ${s.url} as ${s.user.email}${ws.length ? ` (${ws.join(', ')})` : ''}.\n`);
    }
    return EXIT.ok;
  } catch (err) {
    return await endWithAppError(ctx, err, args.flags.json === true);
  }
}

export async function runLogout(ctx: CommandContext): Promise<number> {
  await ctx.engine().uploads.signOut();
  await write(ctx.io.stdout, 'Signed out.\n');
  return EXIT.ok;
}

export async function runWhoami(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  const who = await ctx.engine().uploads.whoami();
  if (args.flags.json) {
    await write(ctx.io.stdout, `${JSON.stringify(who ?? { user: null })}\n`);
    return who ? EXIT.ok : EXIT.refused;
  }
  if (!who) {
    await write(ctx.io.stderr, 'Not signed in. Run "metricdrop login".\n');
    return EXIT.refused;
  }
  const lines = [`${who.user.email} on ${who.url}${who.online ? '' : ' (offline: showing what was seen last)'}`];
  let ws = '';
  for (const c of who.clients) {
    if (c.workspaceName !== ws) {
      ws = c.workspaceName;
      const role = c.unknownRole === undefined ? c.role : `${c.unknownRole}, a role this version does not know: counted as viewer`;
      lines.push(`  ${ws} (${role}, ${c.workspaceId})`);
    }
    lines.push(`    ${c.clientName} (${c.currency}, ${c.clientId})`);
  }
  if (who.clients.length === 0) lines.push('  No workspaces yet: ask an owner to add you.');
  await write(ctx.io.stdout, `${lines.join('\n')}\n`);
  return EXIT.ok;
}

export async function runPreflight(ctx: CommandContext, args: ParsedArgs): Promise<number> {
  await signInFromEnvIfNeeded(ctx);
  const result = await ctx.engine().uploads.preflight();
  if (args.flags.json) await write(ctx.io.stdout, `${JSON.stringify(result)}\n`);
  else {
    const lines = [`Schema version ${result.schema_version ?? 'unknown'}: ${result.ok ? 'all checks pass' : 'some checks FAIL'}`];
    for (const c of result.checks) {
      const mark = c.ok ? 'ok  ' : c.required === false ? 'warn' : 'FAIL';
      lines.push(
        `  ${mark} ${c.name}${c.detail && !c.ok ? `: ${typeof c.detail === 'string' ? c.detail : JSON.stringify(c.detail)}` : ''}`,
      );
    }
    await write(ctx.io.stdout, `${lines.join('\n')}\n`);
  }
  return result.ok ? EXIT.ok : EXIT.rowsOrPartial;
}
