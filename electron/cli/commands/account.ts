import type { CommandModule } from '../command.ts';

// The work is loaded when the command runs (actions/), so `--help` loads none of the engine.
const actions = () => import('../actions/account.ts');

export const loginCommand: CommandModule = {
  name: 'login',
  summary: "sign in to the agency's Supabase project (the session is kept in the data folder)",
  usage: 'login [--url U] [--anon-key K] [--email E]',
  description: [
    'The password comes from METRICDROP_PASSWORD or a prompt. URL, anon key and email default to',
    'METRICDROP_SUPABASE_URL, METRICDROP_SUPABASE_ANON_KEY and METRICDROP_EMAIL, then to the last sign-in.',
    'The session file is readable only by you (mode 0600). metricdrop never takes a service-role key.',
  ].join('\n'),
  flags: {
    url: { type: 'string', value: 'U', description: 'the project URL, e.g. https://abcd.supabase.co' },
    'anon-key': { type: 'string', value: 'K', description: "the project's anon (publishable) key" },
    email: { type: 'string', value: 'E', description: 'your email address' },
    json: { type: 'boolean', description: 'print the result as one JSON document' },
  },
  positionals: { min: 0, max: 0 },
  run: async (ctx, args) => (await actions()).runLogin(ctx, args),
};

export const logoutCommand: CommandModule = {
  name: 'logout',
  summary: 'sign out and delete the kept session',
  usage: 'logout',
  description: '',
  flags: {},
  positionals: { min: 0, max: 0 },
  run: async (ctx) => (await actions()).runLogout(ctx),
};

export const whoamiCommand: CommandModule = {
  name: 'whoami',
  summary: 'show who is signed in, to which project, and the clients you can upload for',
  usage: 'whoami [--json]',
  description: '',
  flags: { json: { type: 'boolean', description: 'print one JSON document' } },
  positionals: { min: 0, max: 0 },
  run: async (ctx, args) => (await actions()).runWhoami(ctx, args),
};

export const preflightCommand: CommandModule = {
  name: 'preflight',
  summary: "check the project's database against the readiness checklist",
  usage: 'preflight [--json]',
  description: 'Unique natural-key indexes, staging tables, row-level security, policies, cleanup schedule, schema version.',
  flags: { json: { type: 'boolean', description: 'print one JSON document' } },
  positionals: { min: 0, max: 0 },
  run: async (ctx, args) => (await actions()).runPreflight(ctx, args),
};
