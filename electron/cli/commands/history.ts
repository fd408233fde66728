import { UsageError } from '../args.ts';
import { EXIT, type CommandModule } from '../command.ts';
import { write } from '../io.ts';

interface Detail {
  file?: string;
  platform?: string | null;
  mode?: string;
  status?: string | null;
  client?: string;
  user?: string;
  rows?: { total: number; valid: number; invalid: number };
  refused?: { code: string } | null;
  error?: { code: string; message: string; stage?: string } | null;
  plan?: { source: string; facts: { create: number; update: number; unchanged: number } } | null;
  offline?: boolean;
}

function describe(kind: string, d: Detail): string {
  if (kind === 'validated') {
    if (d.refused) return `validated ${d.file}: refused (${d.refused.code})`;
    return `validated ${d.file}: ${d.rows?.valid ?? 0} valid, ${d.rows?.invalid ?? 0} with errors`;
  }
  if (kind.startsWith('mapping_')) return `column mapping ${kind.slice('mapping_'.length)}${d.platform ? ` (${d.platform})` : ''}`;
  const what = kind === 'upload' ? 'upload' : d.offline ? 'dry run (offline)' : 'dry run';
  const outcome = d.error ? `${d.error.code}${d.error.stage ? ` at ${d.error.stage}` : ''}` : (d.status ?? 'planned');
  const facts = d.plan
    ? `, daily rows ${d.plan.facts.create} new / ${d.plan.facts.update} updated / ${d.plan.facts.unchanged} unchanged`
    : '';
  return `${what} ${d.file} for ${d.client ?? '?'}${d.user ? ` by ${d.user}` : ''}: ${outcome}${facts}`;
}

export const historyCommand: CommandModule = {
  name: 'history',
  uses: 'validation',
  summary: 'the local audit log: validations, dry runs and uploads, newest first',
  usage: 'history [--limit N] [--json]',
  description: 'With --json: {"entries": [{ "id", "at", "kind", "subjectId", "detail" }, …]}; kind is validated, dry-run or upload.',
  flags: {
    limit: { type: 'string', value: 'N', description: 'show at most N entries (default 20)' },
    json: { type: 'boolean', description: 'print one JSON document on standard output' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx, args) {
    const raw = args.flags.limit as string | undefined;
    const limit = raw === undefined ? 20 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
      throw new UsageError('--limit takes a whole number from 1 to 100000.', historyCommand);
    const entries = ctx.validation().auditEvents({ limit });
    if (args.flags.json) {
      await write(ctx.io.stdout, `${JSON.stringify({ entries })}\n`);
      return EXIT.ok;
    }
    if (entries.length === 0) {
      await write(ctx.io.stdout, 'Nothing yet: validate or upload a file first.\n');
      return EXIT.ok;
    }
    const lines = entries.map((e) => `${e.at}  ${describe(e.kind, (e.detail ?? {}) as Detail)}${e.subjectId ? `  [${e.subjectId}]` : ''}`);
    await write(ctx.io.stdout, `${lines.join('\n')}\n`);
    return EXIT.ok;
  },
};
