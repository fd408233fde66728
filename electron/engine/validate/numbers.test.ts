import { describe, expect, it } from 'vitest';
import {
  DecimalMarkEvidence,
  NumberProblem,
  ambiguousMark,
  splitMoney,
  parseCount,
  parseCountObserved,
  parseDecimal,
  parseDecimalObserved,
} from './numbers.ts';

const problem = (r: string | NumberProblem) => (r instanceof NumberProblem ? r.problem : null);

describe("parseDecimal with the file's decimal mark", () => {
  it('reads grouped and ungrouped numbers with a decimal point', () => {
    expect(parseDecimal('1,234.56', '.')).toBe('1234.56');
    expect(parseDecimal('224,144.69', '.')).toBe('224144.69');
    expect(parseDecimal('1487.67', '.')).toBe('1487.67');
    expect(parseDecimal('1,204,332', '.')).toBe('1204332');
    expect(parseDecimal('4.00', '.')).toBe('4');
    expect(parseDecimal('007', '.')).toBe('7');
    expect(parseDecimal(' 12.5 ', '.')).toBe('12.5');
    expect(parseDecimal('$1,024.50', '.')).toBe('1024.5');
    expect(parseDecimal("1'234.50", '.')).toBe('1234.5');
  });

  it('reads grouped and ungrouped numbers with a decimal comma', () => {
    expect(parseDecimal('1.234,56', ',')).toBe('1234.56');
    expect(parseDecimal('1487,67', ',')).toBe('1487.67');
    expect(parseDecimal('1.696', ',')).toBe('1696');
    expect(parseDecimal('0,88', ',')).toBe('0.88');
    expect(parseDecimal('1 234,56', ',')).toBe('1234.56');
    expect(parseDecimal('1\u00a0234,56 €', ',')).toBe('1234.56');
  });

  it("reads plain cells (digits, or digits, the mark and digits) to their canonical form, and only with the file's mark", () => {
    const cases: [string, '.' | ',', string | null][] = [
      ['0', '.', '0'],
      ['12', ',', '12'],
      ['007', '.', '7'],
      ['0.5', '.', '0.5'],
      ['00.50', '.', '0.5'],
      ['1.230', '.', '1.23'],
      ['5.0', '.', '5'],
      ['0,5', ',', '0.5'],
      ['12,340', ',', '12.34'],
      ['1.5', ',', null],
      ['1,5', '.', null],
      ['1.', '.', null],
      ['.5', '.', '0.5'],
    ];
    for (const [cell, mark, canonical] of cases)
      expect(problem(parseDecimal(cell, mark)) === null ? parseDecimal(cell, mark) : null, `${cell} ${mark}`).toBe(canonical);
  });

  it('reads blank, " --" and "-" as zero', () => {
    for (const cell of ['', ' --', '--', '-', '   ']) expect(parseDecimal(cell, '.')).toBe('0');
  });

  it('refuses what is not a non-negative number, saying why', () => {
    expect(problem(parseDecimal('-3.20', '.'))).toMatch(/negative/);
    expect(problem(parseDecimal('(3.20)', '.'))).toMatch(/negative/);
    expect(problem(parseDecimal('8,97%', ','))).toMatch(/percentage/);
    expect(problem(parseDecimal('1.20216E+17', '.'))).toMatch(/scientific notation/);
    expect(problem(parseDecimal('12,5x', '.'))).toMatch(/not a number.*point/);
    expect(problem(parseDecimal('0,88', '.'))).toMatch(/not a number/);
    expect(problem(parseDecimal('1,23,456', '.'))).toMatch(/not a number/);
    expect(problem(parseDecimal('1,2345', '.'))).toMatch(/not a number/);
    expect(problem(parseDecimal('1.234.5', '.'))).toMatch(/not a number/);
    expect(problem(parseDecimal('1.234 567,8', ','))).toMatch(/not a number/);
    expect(problem(parseDecimal('12.', '.'))).toMatch(/not a number/);
    expect(problem(parseDecimal('.', '.'))).toMatch(/not a number/);
  });
});

describe('parseCount', () => {
  it('accepts whole numbers, also written with zero decimals', () => {
    expect(parseCount('1,204', '.')).toBe('1204');
    expect(parseCount('97.00', '.')).toBe('97');
    expect(parseCount('1.696', ',')).toBe('1696');
  });
  it('refuses fractions', () => {
    expect(problem(parseCount('12.5', '.'))).toMatch(/whole number/);
  });
});

describe('ambiguousMark: cells either mark explains', () => {
  it('is one mark with one to three digits before and three after', () => {
    for (const c of ['1.234', '120.000', '2,500', '999,999', ' 1.696 ', '€1.234', '1,234 €']) expect(ambiguousMark(c), c).not.toBeNull();
    for (const c of ['1234', '0.500', '1.23', '1.2345', '1234.567', '1.234.567', '1,234.5', '12.50', 'a.bcd', '-1.234'])
      expect(ambiguousMark(c), c).toBeNull();
    expect(ambiguousMark('2.000')).toBe('.');
    expect(ambiguousMark('2,000')).toBe(',');
  });
});

describe('reading a cell and observing it in one scan', () => {
  it('reads as parseDecimal/parseCount and gathers what DecimalMarkEvidence.observe gathers, for every kind of cell', () => {
    const cells = [
      '0',
      '7',
      '007',
      '0.5',
      '1.204',
      '1,204',
      '0,88',
      '12.50',
      '1.234,56',
      '1,234.56',
      '1.204.332',
      '1,204,332',
      ' 12.5 ',
      '$1,024.50',
      '1 234,56',
      '-1',
      '(5)',
      '5%',
      '1e5',
      '1.',
      '.5',
      ',5',
      '12,340',
      '٣',
      'abc',
      '--',
      ' ',
      '1.2.3',
      '123.4567',
      '9,99',
    ];
    for (const cell of cells) {
      for (const mark of ['.', ','] as const) {
        for (const integer of [true, false]) {
          const observed = new DecimalMarkEvidence();
          observed.observe(cell, integer, 9);
          const fused = new DecimalMarkEvidence();
          const expected = integer ? parseCount(cell, mark) : parseDecimal(cell, mark);
          const got = integer ? parseCountObserved(cell, mark, fused, 9) : parseDecimalObserved(cell, mark, fused, false, 9);
          expect(problem(got) ?? got, `${cell} ${mark} ${integer}`).toEqual(problem(expected) ?? expected);
          expect({ ...fused }, `${cell} ${mark} ${integer}`).toEqual({ ...observed });
        }
      }
    }
  });
});

describe('splitMoney: the currency written in a money cell', () => {
  const split = (c: string) => {
    const r = splitMoney(c);
    return r instanceof NumberProblem ? r.problem : { amount: r.amount, codes: r.currency?.codes ?? null };
  };
  it('reads signs and codes before or after the amount', () => {
    expect(split('US$50.00')).toEqual({ amount: '50.00', codes: ['USD'] });
    expect(split('€12,50')).toEqual({ amount: '12,50', codes: ['EUR'] });
    expect(split('12.50 USD')).toEqual({ amount: '12.50', codes: ['USD'] });
    expect(split('EUR 12,50')).toEqual({ amount: '12,50', codes: ['EUR'] });
    expect(split('1 234,56 €')).toEqual({ amount: '1 234,56', codes: ['EUR'] });
    expect(split('£7.25')).toEqual({ amount: '7.25', codes: ['GBP'] });
    expect(split('¥100')).toEqual({ amount: '100', codes: ['JPY', 'CNY'] });
    expect(split('R$ 10,00')).toEqual({ amount: '10,00', codes: ['BRL'] });
    expect((split('$1,024.50') as { codes: readonly string[] }).codes).toContain('USD');
    expect((split('$1,024.50') as { codes: readonly string[] }).codes).toContain('CAD');
  });
  it('leaves cells without a currency as they are, and refuses a currency on both sides', () => {
    for (const c of ['12.50', ' --', '-3.20', '(3.20)', '8,97%', '12,5x']) expect(split(c)).toEqual({ amount: c, codes: null });
    expect(split('$12 €')).toMatch(/both sides/);
  });
});
