import { describe, expect, it } from 'vitest';
import { extractGlobal, parseArgs, UsageError } from './args.ts';

const specs = {
  json: { type: 'boolean', description: '' },
  platform: { type: 'string', choices: ['meta', 'google', 'tiktok'], description: '' },
  'errors-csv': { type: 'string', value: 'OUT', description: '' },
} as const;

describe('parseArgs', () => {
  it('reads positionals, booleans, "--flag value" and "--flag=value", and "--" ends the flags', () => {
    expect(parseArgs(['a.csv', '--json', '--platform', 'meta', '--errors-csv=out.csv'], specs)).toEqual({
      positionals: ['a.csv'],
      flags: { json: true, platform: 'meta', 'errors-csv': 'out.csv' },
      lists: {},
    });
    expect(parseArgs(['--', '--json', '-x.csv'], specs)).toEqual({ positionals: ['--json', '-x.csv'], flags: {}, lists: {} });
  });

  it('collects a repeatable flag in order (--map A=B --map C=D)', () => {
    const withMap = { ...specs, map: { type: 'string', repeatable: true, description: '' } } as const;
    expect(parseArgs(['x.csv', '--map', 'spend=Cost', '--map=clicks=Link clicks'], withMap).lists).toEqual({
      map: ['spend=Cost', 'clicks=Link clicks'],
    });
  });

  it('refuses unknown, repeated, valueless and out-of-choice flags', () => {
    expect(() => parseArgs(['--nope'], specs)).toThrow(UsageError);
    expect(() => parseArgs(['-j'], specs)).toThrow(/Unknown option -j/);
    expect(() => parseArgs(['--json', '--json'], specs)).toThrow(/given twice/);
    expect(() => parseArgs(['--errors-csv'], specs)).toThrow(/needs a value \(OUT\)/);
    expect(() => parseArgs(['--errors-csv', '--json'], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(['--errors-csv='], specs)).toThrow(/needs a value/);
    expect(() => parseArgs(['--platform=bing'], specs)).toThrow(/one of meta, google, tiktok/);
  });
});

describe('extractGlobal', () => {
  it('takes --home and --help from anywhere', () => {
    expect(extractGlobal(['validate', 'f.csv', '--home', '/h', '--json'])).toEqual({
      home: '/h',
      help: false,
      rest: ['validate', 'f.csv', '--json'],
    });
    expect(extractGlobal(['--home=/h', '-h', 'validate'])).toEqual({ home: '/h', help: true, rest: ['validate'] });
    expect(() => extractGlobal(['--home', '/a', '--home', '/b'])).toThrow(/twice/);
  });
});
