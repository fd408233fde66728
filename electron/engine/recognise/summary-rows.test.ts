import { describe, expect, it } from 'vitest';
import { isSummaryRow, type EntityColumns } from './summary-rows.ts';

const ref = (index: number, header: string) => ({ index, header });

describe('isSummaryRow', () => {
  const meta: EntityColumns = {
    levels: [
      { name: ref(1, 'Campaign name'), id: ref(2, 'Campaign ID') },
      { name: ref(3, 'Ad set name'), id: ref(4, 'Ad set ID') },
    ],
    dateIndex: 0,
  };

  it("Meta's summary row has blank names and IDs", () => {
    expect(isSummaryRow(['', '', '', '', '', '4812.33'], meta)).toBe(true);
    expect(isSummaryRow(['2025-09-01', ' ', '', '', '', '4812.33'], meta)).toBe(true);
  });

  it('`All` in a name cell with no ID is a subtotal; an entity really named All keeps its ID', () => {
    expect(isSummaryRow(['', 'Spring', '1202', 'All', '', '55'], meta)).toBe(true);
    expect(isSummaryRow(['2025-09-01', 'Spring', '1202', 'All', '1203', '55'], meta)).toBe(false);
  });

  it("Google's and TikTok's total rows", () => {
    const google: EntityColumns = { levels: [{ name: ref(1, 'Campaign'), id: ref(2, 'Campaign ID') }], dateIndex: 0 };
    expect(isSummaryRow(['Total: Account', '', '', 'USD', '1,516'], google)).toBe(true);
    expect(isSummaryRow(['Totaal: Alle campagnen, behalve de verwijderde', '', '', 'EUR'], google)).toBe(true);
    expect(isSummaryRow(['Total of 3 ads', '', '', 'USD'], google)).toBe(true);
    // Campaign first, no ID column (matched by name): a label in the campaign column is a total
    // only when it is a "Total" word; a campaign called "Brand: Search" is data.
    const byName: EntityColumns = { levels: [{ name: ref(0, 'Campaign'), id: undefined }], dateIndex: 1 };
    expect(isSummaryRow(['Total: Account', '', '1,516'], byName)).toBe(true);
    expect(isSummaryRow(['Brand: Search', '2025-09-01', '96'], byName)).toBe(false);
  });

  it('a data row is not a summary', () => {
    expect(isSummaryRow(['2025-09-01', 'Spring', '1202', 'Broad', '1203', '55'], meta)).toBe(false);
    expect(isSummaryRow(['2025-09-01', '', '1202', '', '1203', '55'], meta)).toBe(false);
  });
});
