import { describe, expect, it } from 'vitest';
import { builtInKind, columnIndex, customKind, plainNumber, serialToIso, unescapeOoxml } from './cells.ts';

describe('plainNumber: the exact decimal text of a numeric cell', () => {
  it.each([
    ['211901.0', '211901'],
    ['211901', '211901'],
    ['0.1218', '0.1218'],
    ['0.0000', '0'],
    ['-0', '0'],
    ['1.87674905', '1.87674905'],
    ['8685.30', '8685.3'],
    ['1.5E-3', '0.0015'],
    ['2.5e2', '250'],
    ['1E+3', '1000'],
    ['-12.50', '-12.5'],
    ['007', '7'],
    ['.5', '0.5'],
    ['100', '100'],
    ['0.30000000000000004', '0.30000000000000004'],
    // Beyond 15 significant digits an integer is what Excel shows: rounded, zeros after.
    ['1.2021555331076018E+17', '120215553310760000'],
    ['9999999999999999', '10000000000000000'],
  ])('%s → %s', (text, plain) => expect(plainNumber(text)).toBe(plain));

  it('is null for text that is not a number', () => {
    for (const t of ['', '-', 'abc', '1,5', '1.2.3', 'E5', '#DIV/0!']) expect(plainNumber(t)).toBeNull();
  });
});

describe('number formats', () => {
  it('knows the built-in percent and date formats', () => {
    expect(builtInKind(0)).toBe('number');
    expect(builtInKind(10)).toBe('percent');
    expect(builtInKind(14)).toBe('date');
    expect(builtInKind(22)).toBe('datetime');
    expect(builtInKind(20)).toBe('time');
    expect(builtInKind(57)).toBe('date');
  });

  it.each([
    ['0.00%', 'percent'],
    ['d/m', 'date'],
    ['yyyy-mm-dd', 'date'],
    ['[$-409]mmm d, yyyy', 'date'],
    ['dd/mm/yyyy hh:mm', 'datetime'],
    ['h:mm AM/PM', 'time'],
    ['#,##0.00', 'number'],
    ['"$"#,##0.00_);[Red]\\("$"#,##0.00\\)', 'number'],
    ['0.00E+00', 'number'],
    ['[h]:mm:ss', 'time'],
    ['"Day "0', 'number'],
    ['yyyy"年"m"月"d"日"', 'date'],
  ])('%s is %s', (code, kind) => expect(customKind(code)).toBe(kind));
});

describe('serialToIso', () => {
  it('converts the 1900 date system, skipping the 29 February 1900 that never was', () => {
    expect(serialToIso('45901', 'date', false)).toBe('2025-09-01');
    expect(serialToIso('45901.0', 'date', false)).toBe('2025-09-01');
    expect(serialToIso('1', 'date', false)).toBe('1900-01-01');
    expect(serialToIso('59', 'date', false)).toBe('1900-02-28');
    expect(serialToIso('61', 'date', false)).toBe('1900-03-01');
    expect(serialToIso('60', 'date', false)).toBeNull();
    expect(serialToIso('-1', 'date', false)).toBeNull();
  });

  it('converts the 1904 date system', () => {
    expect(serialToIso('44439', 'date', true)).toBe('2025-09-01');
    expect(serialToIso('0', 'date', true)).toBe('1904-01-01');
  });

  it('keeps a time of day only for date-time formats', () => {
    expect(serialToIso('45901.5', 'datetime', false)).toBe('2025-09-01 12:00:00');
    expect(serialToIso('45901', 'datetime', false)).toBe('2025-09-01');
    expect(serialToIso('45901.75', 'date', false)).toBe('2025-09-01');
    expect(serialToIso('0.25', 'time', false)).toBe('06:00:00');
  });
});

describe('cell references and escapes', () => {
  it('reads the column of a reference', () => {
    expect(columnIndex('A1')).toBe(0);
    expect(columnIndex('Z9')).toBe(25);
    expect(columnIndex('AA10')).toBe(26);
    expect(columnIndex('AK1')).toBe(36);
    expect(columnIndex('XFD1')).toBe(16383);
    expect(columnIndex('12')).toBeNull();
  });

  it('unescapes _xHHHH_', () => {
    expect(unescapeOoxml('line_x000D_\nnext')).toBe('line\r\nnext');
    expect(unescapeOoxml('a_x005F_x000D_b')).toBe('a_x000D_b');
    expect(unescapeOoxml('plain_text')).toBe('plain_text');
  });
});
