import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCorpusLine, formatCorpusSummary, runCorpus, verdictOf } from '../../electron/engine/validate/corpus.ts';
import { ACCEPTED_FIXTURES, REFUSED_FIXTURES } from '../fixtures/expected.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'headers');

describe('npm run corpus over a folder: one line per file and a summary', () => {
  it('gives every header fixture its expected outcome, in name order, and counts them by verdict and code', async () => {
    const printed: string[] = [];
    const results = await runCorpus(dir, (r) => printed.push(formatCorpusLine(r)));
    expect(results.map((r) => r.file)).toEqual([...results.map((r) => r.file)].sort());
    expect(printed).toHaveLength(results.length);
    for (const { file, report } of results) {
      const name = `headers/${file}`;
      const refused = REFUSED_FIXTURES[name];
      const accepted = ACCEPTED_FIXTURES[name];
      expect(refused ?? accepted, `${name} has an expected result`).toBeDefined();
      if (refused) expect(report.refused?.code).toBe(refused.refused);
      else expect(verdictOf(report)).toBe(accepted!.rows.invalid > 0 ? 'row errors' : 'accepted');
    }
    const line = printed.find((l) => l.startsWith('meta-adsets-range-totals-no-link-clicks.csv'));
    expect(line).toMatch(
      /^meta-adsets-range-totals-no-link-clicks\.csv {2}refused {2}MISSING_COLUMN {2}This Meta Ads Manager export has no Day column and row 3 .*…$/,
    );
    const refusedCount = results.filter((r) => r.report.refused).length;
    expect(formatCorpusSummary(results)).toMatch(new RegExp(`^${results.length} files: `));
    expect(formatCorpusSummary(results)).toContain(`${results.filter((r) => verdictOf(r.report) === 'accepted').length} accepted`);
    expect(refusedCount).toBe(Object.keys(REFUSED_FIXTURES).filter((n) => n.startsWith('headers/')).length);
  });
});
