/**
 * `npm run corpus -- DIR`: validates every file under DIR (recursively, README files aside) and
 * prints one line per file (verdict, code, the first words of the message) and a summary. Nothing
 * is recorded in the local store; the files are only read.
 */
import { runCorpus, formatCorpusLine, formatCorpusSummary } from '../electron/engine/validate/corpus.ts';

const dir = process.argv.slice(2).find((a) => a !== '--');
if (!dir) {
  process.stderr.write('usage: npm run corpus -- DIR\n');
  process.exit(64);
}
const results = await runCorpus(dir, (r) => process.stdout.write(`${formatCorpusLine(r)}\n`));
process.stdout.write(`\n${formatCorpusSummary(results)}\n`);
