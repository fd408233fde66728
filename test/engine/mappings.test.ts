import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, silentLogger } from '../../electron/engine/index.ts';
import { openStore, storeFile } from '../../electron/engine/store/open.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'mapping');

function engineAt(now: () => Date) {
  const home = mkdtempSync(join(tmpdir(), 'metricdrop-mappings-'));
  return createEngine({ db: openStore(storeFile(home)), clock: { now }, logger: silentLogger, home });
}

describe("saved column mappings: changed and forgotten (the app's Mappings screen)", () => {
  it('a change is checked against the header it was confirmed for, applied to the next file, and logged', async () => {
    let clock = new Date('2026-12-03T09:30:00Z');
    const engine = engineAt(() => clock);
    const first = await engine.validateFile(join(fixtures, 'meta-campaign-renamed-spend.csv'), {
      mapping: { platform: 'meta', fields: { spend: 'Budget used (EUR)' } },
    });
    expect(first.report.mapped!.note).toBe(
      'Columns mapped as you confirmed on 3 Dec 2026 (Meta Ads Manager; Spend = "Budget used (EUR)").',
    );
    const id = first.report.mapped!.id!;

    expect(() => engine.mappings.change(id, { spend: 'Cost' })).toThrow(/no column "Cost"/);
    expect(() => engine.mappings.change(id, { spend: 'Budget used (EUR)', clicks: 'Budget used (EUR)' })).toThrow(/mapped to both/);

    clock = new Date('2026-12-05T10:00:00Z');
    // Conversions read from the Purchases conversion value column: a person's (odd) choice, applied as confirmed.
    const changed = engine.mappings.change(id, { spend: 'Budget used (EUR)', conversions: 'Purchases conversion value' });
    expect(changed).toMatchObject({ id, confirmedAt: '2026-12-05T10:00:00.000Z' });
    const next = await engine.validateFile(join(fixtures, 'meta-campaign-renamed-spend-next.csv'));
    expect(next.report.mapped).toMatchObject({
      id,
      source: 'saved',
      fields: { spend: 'Budget used (EUR)', conversions: 'Purchases conversion value' },
    });
    expect(next.report.mapped!.note).toContain('confirmed on 5 Dec 2026');
    expect(next.report.totals.conversions).toBe('92.85');
    expect(engine.auditEvents({ subjectId: id }).map((e) => e.kind)).toEqual(['mapping_changed', 'mapping_saved']);

    expect(engine.mappings.forget(id)).toBe(true);
    expect(engine.mappings.list()).toEqual([]);
    const again = await engine.validateFile(join(fixtures, 'meta-campaign-renamed-spend-next.csv'));
    expect(again.report.refused!.code).toBe('MISSING_COLUMN');
    expect(again.report.mapping!.candidates[0]!.fields.find((f) => f.field === 'spend')!.reason).toBe('values');
  });
});
