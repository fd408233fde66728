import { describe, expect, it } from 'vitest';
import { sniffDialect } from './sniff.ts';

describe('sniffDialect', () => {
  it('finds commas under a Google preamble, ignoring commas inside quotes', () => {
    const text =
      'Campaign report\n"September 1, 2025 - September 30, 2025"\nDay,Campaign,Cost\n2025-09-01,"Brand, EN",1.5\n2025-09-02,Generic,2\n';
    expect(sniffDialect(text, true)).toEqual({ delimiter: ',', newline: '\n' });
  });

  it('finds tabs in a UTF-16 "Excel CSV" with grouped numbers', () => {
    const text =
      'Ad group report\r\nSeptember 1, 2025 - September 2, 2025\r\nDay\tCampaign\tImpr.\tCost\r\n2025-09-01\tBrand\t1,204\t78.55\r\n';
    expect(sniffDialect(text, true)).toEqual({ delimiter: '\t', newline: '\r\n' });
  });

  it('finds semicolons in an Excel re-save whose decimal commas vary per row', () => {
    const text = 'Day;Campaign;Spend;Value\r\n12/09/2025;A;152,73;512,6\r\n13/09/2025;B;148;\r\n14/09/2025;C;0,88;19,99\r\n';
    expect(sniffDialect(text, true)).toEqual({ delimiter: ';', newline: '\r\n' });
  });

  it('prefers the delimiter with the larger steady count when two are steady', () => {
    const text = 'a;b;c;d,e\n1;2;3;4,5\n6;7;8;9,0\n';
    expect(sniffDialect(text, true).delimiter).toBe(';');
  });

  it('does not count a record cut off at the end of a partial sample', () => {
    const text = 'a\tb\tc\n1\t2\t3\n4,5,6,7,8,9,10,11';
    expect(sniffDialect(text, false).delimiter).toBe('\t');
  });

  it('falls back to a comma for a single column', () => {
    expect(sniffDialect('only\nvalues\n', true)).toEqual({ delimiter: ',', newline: '\n' });
  });
});
