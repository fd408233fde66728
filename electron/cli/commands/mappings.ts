import { FIELD_INFO, MAPPABLE_FIELDS, PLATFORM_LABEL, confirmedDay } from '../../../shared/mapping-fields.ts';
import type { SavedMapping } from '../../../shared/mapping.ts';
import { UsageError } from '../args.ts';
import { EXIT, type CommandModule } from '../command.ts';
import { write } from '../io.ts';

function describeMapping(m: SavedMapping): string {
  const fields = MAPPABLE_FIELDS.filter((f) => m.fields[f] !== undefined).map((f) => `${f}="${m.fields[f]}"`);
  const used = m.lastUsedAt ? `, last used ${confirmedDay(m.lastUsedAt)}` : '';
  return [
    `${m.id}  ${PLATFORM_LABEL[m.platform]}, confirmed ${confirmedDay(m.confirmedAt)}${used}`,
    `  ${fields.length ? fields.join(', ') : '(the platform only)'}`,
    `  for the header: ${m.headers
      .filter((h) => h.trim() !== '')
      .map((h) => `"${h.trim()}"`)
      .join(', ')}`,
  ].join('\n');
}

export const mappingsCommand: CommandModule = {
  name: 'mappings',
  uses: 'validation',
  summary: 'the column mappings you confirmed (list, or forget one)',
  usage: 'mappings [list | forget <id>] [--json]',
  description: [
    'A mapping confirmed with --map (or a --platform that decided a header several platforms write) is',
    'applied to every later file with the same header. "forget <id>" removes it: the next such file is',
    'read as if it had never been confirmed. With --json: {"mappings": [ … ]} or {"forgotten": "<id>"}.',
    `Fields: ${MAPPABLE_FIELDS.map((f) => `${f} (${FIELD_INFO[f].label})`).join(', ')}.`,
  ].join('\n'),
  flags: { json: { type: 'boolean', description: 'print one JSON document on standard output' } },
  positionals: { min: 0, max: 2 },
  async run(ctx, args) {
    const [verb = 'list', id] = args.positionals;
    const json = args.flags.json === true;
    if (verb === 'list') {
      if (id !== undefined) throw new UsageError(`"mappings list" takes no id (got "${id}").`);
      const all = ctx.validation().mappings.list();
      if (json) await write(ctx.io.stdout, `${JSON.stringify({ mappings: all })}\n`);
      else await write(ctx.io.stdout, all.length === 0 ? 'No saved column mappings.\n' : `${all.map(describeMapping).join('\n')}\n`);
      return EXIT.ok;
    }
    if (verb === 'forget') {
      if (id === undefined) throw new UsageError('"mappings forget" needs the id of a mapping ("metricdrop mappings list" shows them).');
      if (!ctx.validation().mappings.forget(id))
        throw new UsageError(`No saved column mapping has the id ${id} ("metricdrop mappings list" shows them).`);
      if (json) await write(ctx.io.stdout, `${JSON.stringify({ forgotten: id })}\n`);
      else await write(ctx.io.stdout, `Forgot mapping ${id}.\n`);
      return EXIT.ok;
    }
    throw new UsageError(`Unknown mappings action "${verb}": use list or forget <id>.`);
  },
};
