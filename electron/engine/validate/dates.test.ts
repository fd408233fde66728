import { describe, expect, it } from 'vitest';
import { DateOrderEvidence, isWeekdayName, isoDate, readDate, resolveDate } from './dates.ts';

describe('readDate', () => {
  it('reads ISO dates, with a midnight time or other separators', () => {
    expect(readDate('2025-09-01')).toEqual({ kind: 'exact', iso: '2025-09-01' });
    expect(readDate(' 2025-09-01 00:00:00 ')).toEqual({ kind: 'exact', iso: '2025-09-01' });
    expect(readDate('2025/9/1')).toEqual({ kind: 'exact', iso: '2025-09-01' });
    expect(readDate('2025.09.01')).toEqual({ kind: 'exact', iso: '2025-09-01' });
  });

  it('reads dates with month names in several languages', () => {
    expect(readDate('Sep 1, 2025')).toEqual({ kind: 'exact', iso: '2025-09-01' });
    expect(readDate('September 30, 2025')).toEqual({ kind: 'exact', iso: '2025-09-30' });
    expect(readDate('1-Sep-25')).toEqual({ kind: 'exact', iso: '2025-09-01' });
    expect(readDate('9 mei 2020')).toEqual({ kind: 'exact', iso: '2020-05-09' });
    expect(readDate('1. September 2025')).toEqual({ kind: 'exact', iso: '2025-09-01' });
    expect(readDate('3 oct. 2025')).toEqual({ kind: 'exact', iso: '2025-10-03' });
  });

  it("reads a weekday in front of the date only when it is that date's weekday (Google Overview cards)", () => {
    expect(readDate('Thu, 5 Feb 2026')).toEqual({ kind: 'exact', iso: '2026-02-05' });
    expect(readDate('Thursday, February 5, 2026')).toEqual({ kind: 'exact', iso: '2026-02-05' });
    expect(readDate('Sun, Feb 8, 2026')).toEqual({ kind: 'exact', iso: '2026-02-08' });
    // 5 Feb 2026 is a Thursday: a cell that says Friday is contradictory, so it is refused, not guessed.
    expect(readDate('Fri, 5 Feb 2026').kind).toBe('invalid');
    expect(readDate('Thu, 5/2/2026').kind).toBe('invalid');
  });

  it('reads the year-first Japanese and Korean forms exactly', () => {
    expect(readDate('2026年1月1日')).toEqual({ kind: 'exact', iso: '2026-01-01' });
    expect(readDate('2026年12月31日')).toEqual({ kind: 'exact', iso: '2026-12-31' });
    expect(readDate('2026. 1. 1.')).toEqual({ kind: 'exact', iso: '2026-01-01' });
    expect(readDate('2026. 12. 31.')).toEqual({ kind: 'exact', iso: '2026-12-31' });
    for (const bad of ['2026年2月30日', '2026. 13. 1.', '26年1月1日']) expect(readDate(bad).kind).toBe('invalid');
  });

  it('a bare weekday is a day of the week, never a date', () => {
    expect(readDate('Sunday').kind).toBe('invalid');
    expect(isWeekdayName('Sunday')).toBe(true);
    expect(isWeekdayName('Tue.')).toBe(true);
    expect(isWeekdayName('2026-02-05')).toBe(false);
  });

  it('keeps numeric dates open until the file decides their order', () => {
    expect(readDate('9/1/2025')).toMatchObject({ kind: 'numeric', a: 9, b: 1, y: 2025, separator: '/' });
    expect(readDate('01.09.25')).toMatchObject({ kind: 'numeric', a: 1, b: 9, y: 2025, separator: '.' });
    expect(readDate('9/1/2025 0:00')).toMatchObject({ kind: 'numeric', a: 9, b: 1 });
  });

  it('refuses what is not a real calendar date', () => {
    for (const bad of ['2025-02-30', '2025-13-01', 'yesterday', '2025-09-01 14:30', '', 'Total of 3 ads', '1999-12-31', 'Foo 1, 2025']) {
      expect(readDate(bad).kind).toBe('invalid');
    }
  });

  it('isoDate knows leap years', () => {
    expect(isoDate(2024, 2, 29)).toBe('2024-02-29');
    expect(isoDate(2025, 2, 29)).toBeNull();
  });
});

describe('DateOrderEvidence: day/month order decided once per file', () => {
  const decide = (cells: string[]) => {
    const ev = new DateOrderEvidence();
    for (const c of new Set(cells)) ev.observe(readDate(c));
    return ev.decide();
  };

  it('a first number above 12 means day/month; a second number above 12 means month/day', () => {
    expect(decide(['01/09/2025', '13/09/2025'])).toBe('dmy');
    expect(decide(['9/1/2025', '9/13/2025'])).toBe('mdy');
  });

  it('when every date fits both, the order giving consecutive days wins', () => {
    expect(decide(['9/1/2025', '9/2/2025', '9/3/2025'])).toBe('mdy');
    expect(decide(['01/09/2025', '02/09/2025', '03/09/2025'])).toBe('dmy');
  });

  it('dates the same either way need no decision; a true tie is left undecided (refused, not guessed)', () => {
    expect(decide(['05/05/2025'])).toBe('dmy');
    expect(decide(['01/02/2025', '02/01/2025'])).toBeNull();
    expect(decide(['01.02.2025', '02.01.2025'])).toBe('dmy');
    const tie = readDate('01/02/2025');
    expect(resolveDate(tie, null)).toBeNull();
    expect(resolveDate(readDate('05/05/2025'), null)).toBe('2025-05-05');
  });

  it('resolves readings under the decision, and refuses cells the decision cannot read', () => {
    expect(resolveDate(readDate('13/09/2025'), 'dmy')).toBe('2025-09-13');
    expect(resolveDate(readDate('9/13/2025'), 'dmy')).toBeNull();
    expect(resolveDate(readDate('9/13/2025'), 'mdy')).toBe('2025-09-13');
    expect(resolveDate(readDate('2025-09-01'), 'mdy')).toBe('2025-09-01');
  });
});
