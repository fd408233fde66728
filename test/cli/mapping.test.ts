import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SavedMapping } from '../../shared/mapping.ts';
import { ValidateReport } from '../../shared/report.ts';
import { runCliInProcess } from '../support/run-cli.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const renamed = join(fixtures, 'mapping', 'meta-campaign-renamed-spend.csv');
const renamedNext = join(fixtures, 'mapping', 'meta-campaign-renamed-spend-next.csv');
const ambiguous = join(fixtures, 'refuse', 'ambiguous-day-campaign-clicks-cost.csv');

function newHome(): string {
  return mkdtempSync(join(tmpdir(), 'metricdrop-mapping-'));
}

async function validate(home: string, ...args: string[]) {
  const r = await runCliInProcess(['validate', ...args, '--json', '--home', home], {});
  return { code: r.code, stderr: r.stderr, report: r.stdout ? ValidateReport.parse(JSON.parse(r.stdout)) : null };
}

async function savedMappings(home: string): Promise<SavedMapping[]> {
  const r = await runCliInProcess(['mappings', 'list', '--json', '--home', home], {});
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { mappings: unknown[] }).mappings.map((m) => SavedMapping.parse(m));
}

// Totals of the two renamed-spend files, summed by hand from their rows.
const RENAMED_TOTALS = { impressions: '4915', clicks: '107', spend: '67.13', conversions: '4', conversionValue: '105.25' };
const NEXT_TOTALS = { impressions: '2360', clicks: '46', spend: '31.31', conversions: '3', conversionValue: '92.85' };

describe('column mapping on the command line', () => {
  it('a renamed spend column: refused with a proposal, mapped with --map, then the next file with the same header is read without it', async () => {
    const home = newHome();
    const refused = await validate(home, renamed);
    expect(refused.code).toBe(2);
    expect(refused.report!.refused!.code).toBe('MISSING_COLUMN');
    const proposal = refused.report!.mapping!;
    expect(proposal.platform).toBe('meta');
    expect(proposal.candidates.map((c) => c.platform)).toEqual(['meta']);
    const fields = Object.fromEntries(proposal.candidates[0]!.fields.map((f) => [f.field, f]));
    expect(fields.spend).toMatchObject({ header: 'Budget used (EUR)', reason: 'values', required: 'yes' });
    expect(fields.impressions).toMatchObject({ header: 'Impressions', reason: 'header_table' });
    expect(fields.ad_name).toMatchObject({ column: null, reason: 'none', required: 'no' });
    expect(proposal.columns.find((c) => c.header === 'Budget used (EUR)')!.samples).toEqual(['23.17', '9.05', '24.80']);
    expect(proposal.columns.every((c) => c.samples.length === 3)).toBe(true);

    const mapped = await validate(home, renamed, '--platform', 'meta', '--map', 'spend=Budget used (EUR)');
    expect(mapped.code).toBe(0);
    expect(mapped.report!.refused).toBeNull();
    expect(mapped.report!.totals).toEqual(RENAMED_TOTALS);
    expect(mapped.report!.currency).toBe('EUR');
    expect(mapped.report!.rows).toEqual({ total: 4, valid: 4, invalid: 0, skipped: 0 });
    expect(mapped.report!.mapped).toMatchObject({ source: 'given', platform: 'meta', fields: { spend: 'Budget used (EUR)' } });
    const saved = await savedMappings(home);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.id).toBe(mapped.report!.mapped!.id);

    const next = await validate(home, renamedNext);
    expect(next.code).toBe(0);
    expect(next.report!.totals).toEqual(NEXT_TOTALS);
    expect(next.report!.mapped).toMatchObject({ source: 'saved', id: saved[0]!.id });
    const day = new Date(saved[0]!.confirmedAt);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    expect(next.report!.mapped!.note).toContain(
      `Columns mapped as you confirmed on ${day.getUTCDate()} ${months[day.getUTCMonth()]} ${day.getUTCFullYear()}`,
    );
    const text = await runCliInProcess(['validate', renamedNext, '--home', home], {});
    expect(text.stdout).toMatch(/Columns mapped as you confirmed on \d+ \w{3} \d{4} \(Meta Ads Manager; Spend = "Budget used \(EUR\)"\)/);

    const history = await runCliInProcess(['history', '--json', '--home', home], {});
    const entries = (JSON.parse(history.stdout) as { entries: { kind: string; detail: { mapped?: { id: string } | null } }[] }).entries;
    expect(entries.filter((e) => e.kind === 'validated' && e.detail.mapped?.id === saved[0]!.id)).toHaveLength(3);
    expect(entries.some((e) => e.kind === 'mapping_saved')).toBe(true);

    const forget = await runCliInProcess(['mappings', 'forget', saved[0]!.id, '--json', '--home', home], {});
    expect(forget.code).toBe(0);
    expect(JSON.parse(forget.stdout)).toEqual({ forgotten: saved[0]!.id });
    expect(await savedMappings(home)).toEqual([]);
    const again = await validate(home, renamedNext);
    expect(again.code).toBe(2);
    expect(again.report!.refused!.code).toBe('MISSING_COLUMN');
    expect(again.report!.mapped).toBeUndefined();
    expect((await runCliInProcess(['mappings', 'forget', saved[0]!.id, '--home', home], {})).code).toBe(64);
  });

  it('the ambiguous-platform file: refused with every candidate, resolved by --platform and saved for the next time', async () => {
    const home = newHome();
    const refused = await validate(home, ambiguous);
    expect(refused.code).toBe(2);
    expect(refused.report!.refused!.code).toBe('UNKNOWN_FORMAT');
    expect(refused.report!.mapping!.platform).toBeNull();
    expect(refused.report!.mapping!.candidates.map((c) => c.platform).sort()).toEqual(['google', 'meta', 'tiktok']);
    const google = refused.report!.mapping!.candidates.find((c) => c.platform === 'google')!;
    expect(google.fields.find((f) => f.field === 'spend')).toMatchObject({ header: 'Cost', reason: 'header_table' });

    const once = await validate(home, ambiguous, '--platform', 'google', '--no-save');
    expect(once.code).toBe(0);
    expect(once.report!.mapped).toMatchObject({ id: null, platform: 'google' });
    expect(await savedMappings(home)).toEqual([]);

    const chosen = await validate(home, ambiguous, '--platform', 'google');
    expect(chosen.code).toBe(0);
    expect(chosen.report!.platform).toBe('google');
    expect(chosen.report!.totals).toEqual({ impressions: '2706', clicks: '190', spend: '158.05', conversions: '0', conversionValue: '0' });
    expect((await savedMappings(home)).map((m) => [m.platform, m.fields])).toEqual([['google', {}]]);

    const later = await validate(home, ambiguous);
    expect(later.code).toBe(0);
    expect(later.report!.platform).toBe('google');
    expect(later.report!.mapped).toMatchObject({ source: 'saved', platform: 'google' });
  });

  it('bad mappings are wrong usage (exit 64), naming the problem, and nothing is saved', async () => {
    const home = newHome();
    const lacking = await validate(home, renamed, '--platform', 'meta', '--map', 'spend=Cost');
    expect(lacking.code).toBe(64);
    expect(lacking.report!.refused).toMatchObject({ code: 'INVALID_MAPPING' });
    expect(lacking.report!.refused!.message).toContain('The file has no column "Cost"');
    expect(lacking.report!.mapping).toBeDefined();

    const text = await validate(home, renamed, '--platform', 'meta', '--map', 'spend=Campaign name');
    expect(text.code).toBe(64);
    expect(text.report!.refused!.message).toMatch(
      /"Campaign name" holds text \("Winter Boots", "Trail Socks", "Winter Boots"\), not numbers, so it cannot be Spend/,
    );

    const twice = await runCliInProcess(
      ['validate', renamed, '--platform', 'meta', '--map', 'spend=Impressions', '--map', 'impressions=Impressions', '--home', home],
      {},
    );
    expect(twice.code).toBe(64);
    expect(twice.stderr).toContain('maps "Impressions" to both spend and impressions');

    const notADay = await validate(home, renamed, '--platform', 'meta', '--map', 'spend=Budget used (EUR)', '--map', 'date=Campaign ID');
    expect(notADay.code).toBe(64);
    expect(notADay.report!.refused!.message).toContain('"Campaign ID" holds no dates');

    const noPlatform = await runCliInProcess(['validate', renamed, '--map', 'spend=Budget used (EUR)', '--home', home], {});
    expect(noPlatform.code).toBe(64);
    expect(noPlatform.stderr).toContain('--map needs --platform');
    const unknownField = await runCliInProcess(
      ['validate', renamed, '--platform', 'meta', '--map', 'cost=Budget used (EUR)', '--home', home],
      {},
    );
    expect(unknownField.code).toBe(64);
    expect(unknownField.stderr).toContain('"cost" is not a field');
    expect(await savedMappings(home)).toEqual([]);
  });

  it('a mapping never overrides a breakdown or a file without daily rows', async () => {
    const home = newHome();
    const breakdown = await validate(
      home,
      join(fixtures, 'meta', 'age-gender-breakdown.csv'),
      '--platform',
      'meta',
      '--map',
      'campaign_name=Campaign name',
    );
    expect(breakdown.code).toBe(2);
    expect(breakdown.report!.refused!.code).toBe('SCHEMA_INCOMPLETE');

    const weekly = await validate(home, join(fixtures, 'google', 'campaign-weekly.csv'), '--platform', 'google', '--map', 'date=Week');
    expect(weekly.code).toBe(64);
    expect(weekly.report!.refused!.message).toContain('"Week" splits the rows by a longer period than a day');

    const aggregated = await validate(
      home,
      join(fixtures, 'meta', 'aggregated-no-day.csv'),
      '--platform',
      'meta',
      '--map',
      'date=Reporting starts',
    );
    expect(aggregated.code).toBe(2);
    expect(aggregated.report!.refused!.code).toBe('MISSING_COLUMN');
    expect(aggregated.report!.refused!.message).toContain('as one total');
    expect(await savedMappings(home)).toEqual([]);
  });

  it('mapped metric columns go through the same parsing and checks as any other', async () => {
    const home = newHome();
    const dir = mkdtempSync(join(tmpdir(), 'metricdrop-mapping-file-'));
    const file = join(dir, 'bad-cells.csv');
    writeFileSync(
      file,
      'Day,Campaign name,Campaign ID,Impressions,Link clicks,Budget used (EUR)\n' +
        '2026-11-02,Winter Boots,120330000111,1520,41,23.17\n' +
        '2026-11-02,Trail Socks,120330000222,880,12,-9.05\n' +
        '2026-11-03,Winter Boots,120330000111,1610,39,24.80\n',
    );
    const r = await validate(home, file, '--platform', 'meta', '--map', 'spend=Budget used (EUR)');
    expect(r.code).toBe(1);
    expect(r.report!.rows).toEqual({ total: 3, valid: 2, invalid: 1, skipped: 0 });
    expect(r.report!.totals.spend).toBe('47.97');
    expect(r.report!.issues.find((i) => i.severity === 'error')).toMatchObject({
      row: 3,
      column: 'Budget used (EUR)',
      code: 'INVALID_VALUE',
    });
  });
});
