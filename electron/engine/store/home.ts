import { join } from 'node:path';

// Where the store lives, apart from opening it (open.ts loads the native SQLite module; the command
// line's help needs only these paths).

/** The store file inside a metricdrop home folder. */
export function storeFile(home: string): string {
  return join(home, 'metricdrop.sqlite');
}

/**
 * The per-user data folder when neither `--home` nor `METRICDROP_HOME` is given: Electron's
 * `app.getPath('userData')` for the app name `metricdrop`, so the command line and the desktop app
 * share one store.
 */
export function defaultHomeDir(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir, 'AppData', 'Roaming'), 'metricdrop');
  if (platform === 'darwin') return join(homedir, 'Library', 'Application Support', 'metricdrop');
  return join(env.XDG_CONFIG_HOME || join(homedir, '.config'), 'metricdrop');
}
