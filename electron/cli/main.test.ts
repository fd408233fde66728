import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidateReport } from '../../shared/report.ts';
import { ACCEPTED_FIXTURES } from '../../test/fixtures/expected.ts';
import { openStore, storeFile } from '../engine/store/open.ts';
import { listValidations } from '../engine/store/validations.ts';
import { runCliInProcess } from '../../test/support/run-cli.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', '..', 'test', 'fixtures', name);
const tmp = () => mkdtempSync(join(tmpdir(), 'metricdrop-cli-'));

const run = (argv: string[], env: Record<string, string | undefined> = { METRICDROP_HOME: tmp() }) => runCliInProcess(argv, env);

describe('metricdrop --help and wrong usage', () => {
  it("--help lists the commands and exits 0; a command's help shows its flags", async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: metricdrop <command>/);
    expect(help.stdout).toMatch(/validate\s+check an export row by row/);
    expect(help.stdout).toMatch(/--home DIR/);
    for (const argv of [
      ['validate', '--help'],
      ['help', 'validate'],
      ['-h', 'validate'],
    ]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: metricdrop validate <file> \[--platform meta\|google\|tiktok\] \[--json\] \[--errors-csv OUT\]/);
      expect(r.stdout).toMatch(/Exit codes: 0/);
    }
  });

  it('wrong usage exits 64 with the problem and where to look', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: metricdrop <command>/],
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['validate'], /Missing argument: metricdrop validate <file>/],
      [['validate', 'a.csv', 'b.csv'], /Too many arguments \(b\.csv\)/],
      [['validate', 'a.csv', '--platform', 'bing'], /--platform must be one of meta, google, tiktok \(got "bing"\)/],
      [['validate', 'a.csv', '--platform'], /--platform needs a value/],
      [['validate', 'a.csv', '--jsn'], /Unknown option --jsn/],
      [['validate', 'a.csv', '--json=yes'], /--json takes no value/],
      [['validate', 'a.csv', '--home'], /--home needs a folder/],
      [['validate', 'a.csv', '--errors-csv', 'a.csv'], /must not be the file being validated/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(64);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    expect((await run(['validate', 'x.csv', '--jsn'])).stderr).toMatch(/Run "metricdrop validate --help" for usage/);
  });
});

describe('metricdrop validate', () => {
  it('a clean file: exit 0 and a summary with exact totals', async () => {
    const r = await run(['validate', fixture('google/campaign-daily-preamble-totals.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('campaign-daily-preamble-totals.csv: Google Ads export, campaign level, USD, 2025-09-01 to 2025-09-03');
    expect(r.stdout).toContain('13 rows read, 9 valid, 4 summary/total rows skipped');
    expect(r.stdout).toContain('spend 4706.49 USD');
    // The skipped total rows are named, as a warning: the file has no problem to fix.
    expect(r.stdout).toContain('1 warning:');
    expect(r.stdout).toContain(
      'file: warning SUMMARY_ROW: Skipped 4 summary/total rows that the export adds, not imported: rows 13 (Total: Account), 14 (Total: Search), 15 (Total: Performance Max) and 16 (Total: Campaigns).',
    );
  });

  it('rows with errors: exit 1, the first issues with row and column', async () => {
    const r = await run(['validate', fixture('meta/ad-daily-row-errors.csv')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('13 rows read, 4 valid, 9 with errors');
    expect(r.stdout).toMatch(/row 4, Amount spent \(USD\): INVALID_VALUE: Amount spent \(USD\) "12,5x" is not a number/);
    expect(r.stdout).toMatch(/row 9: DUPLICATE_ROW: This row repeats row 8/);
  });

  it('more issues than fit: points to --errors-csv, which holds them all', async () => {
    const dir = tmp();
    const lines = [
      'Day,"Campaign name","Campaign ID","Amount spent (USD)",Impressions,"Link clicks",Purchases,"Purchases conversion value"',
    ];
    for (let i = 0; i < 25; i++) lines.push(`2025-09-01,C${i},${i + 1},=cmd|' /C calc'!A0,1,1,0,0`);
    const file = join(dir, 'bad.csv');
    writeFileSync(file, lines.join('\n'));
    const r = await run(['validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /… and 15 more issues\.\nWrite every issue to a CSV file \(safe to open in a spreadsheet\) with --errors-csv FILE\./,
    );

    const csv = join(dir, 'errors.csv');
    const withCsv = await run(['validate', file, '--errors-csv', csv]);
    expect(withCsv.stdout).toContain(`Every issue is in ${csv}.`);
    expect(withCsv.stdout).not.toContain('--errors-csv FILE');
    const written = readFileSync(csv, 'utf8').trimEnd().split('\r\n');
    expect(written).toHaveLength(26);
    expect(written[1]).toBe(
      `"2","Amount spent (USD)","INVALID_VALUE","error","Amount spent (USD) ""=cmd|' /C calc'!A0"" is not a number (this file writes decimals with a point, e.g. 1,234.56). Correct the cell or export the file again."`,
    );
  });

  it('a refused file: exit 2, the reason on standard error, nothing on standard output', async () => {
    const r = await run(['validate', fixture('meta/age-gender-breakdown.csv')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/age-gender-breakdown\.csv: refused \(SCHEMA_INCOMPLETE\)\n {2}This is a demographic breakdown/);
    const missing = await run(['validate', join(tmp(), 'missing.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/refused \(INVALID_INPUT\)\n {2}Cannot open .*missing\.csv: no such file/);
  });

  it('--json prints exactly one JSON document, the validate report, with the same exit codes', async () => {
    for (const [name, code] of [
      ['tiktok/ad-daily-by-day-total-row.csv', 0],
      ['meta/ad-daily-row-errors.csv', 1],
      ['refuse/empty.csv', 2],
    ] as const) {
      const r = await run(['validate', fixture(name), '--json']);
      expect(r.code).toBe(code);
      expect(r.stderr).toBe('');
      expect(r.stdout.endsWith('}\n')).toBe(true);
      const doc = JSON.parse(r.stdout) as unknown;
      expect(ValidateReport.parse(doc)).toEqual(doc);
      if (name in ACCEPTED_FIXTURES) expect((doc as ValidateReport).totals).toEqual(ACCEPTED_FIXTURES[name]!.totals);
    }
  });

  it('--platform settles a header several platforms share', async () => {
    const file = fixture('refuse/ambiguous-day-campaign-clicks-cost.csv');
    expect((await run(['validate', file, '--json'])).code).toBe(2);
    const r = await run(['validate', file, '--json', '--platform=google']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ platform: 'google', totals: { spend: '158.05' } });
  });

  it('records each validation in the store of --home, else of METRICDROP_HOME', async () => {
    const envHome = tmp();
    const flagHome = tmp();
    await run(['validate', fixture('meta/ad-daily-german.csv')], { METRICDROP_HOME: envHome });
    await run(['--home', flagHome, 'validate', fixture('meta/ad-daily-german.csv')], { METRICDROP_HOME: envHome });
    await run(['validate', fixture('meta/ad-daily-spanish.csv'), `--home=${flagHome}`], { METRICDROP_HOME: envHome });
    const names = (home: string) => {
      const db = openStore(storeFile(home));
      try {
        return listValidations(db).map((v) => v.report.file);
      } finally {
        db.close();
      }
    };
    expect(names(envHome)).toEqual(['ad-daily-german.csv']);
    expect(names(flagHome)).toEqual(['ad-daily-spanish.csv', 'ad-daily-german.csv']);
  });

  it('still validates when the store cannot be opened, and says it was not recorded', async () => {
    const notAFolder = join(tmp(), 'file');
    writeFileSync(notAFolder, 'x');
    const r = await run(['validate', fixture('meta/ad-daily-german.csv'), '--home', notAFolder]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/local store .* cannot be opened/);
    expect(r.stdout).toContain('(Not recorded in the local store.)');
    expect(existsSync(join(notAFolder, 'metricdrop.sqlite'))).toBe(false);
  });
});

describe('a refusal no command handles itself', () => {
  it('ends with its code, exit 2 and, with --json, one document with the error (preflight before any sign-in)', async () => {
    const json = await run(['preflight', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ error: { code: 'NOT_SIGNED_IN', message: expect.stringMatching(/Not signed in/) } });
    expect(json.stderr).toMatch(/^metricdrop: NOT_SIGNED_IN: Not signed in/);
    const text = await run(['preflight']);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(/^metricdrop: NOT_SIGNED_IN: /);
  });
});
