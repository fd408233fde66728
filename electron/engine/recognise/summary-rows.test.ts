import { describe, expect, it } from 'vitest';
import { summaryRowLabel, type EntityColumns } from './summary-rows.ts';

const ref = (index: number, header: string) => ({ index, header });

describe("summary rows by the platform's own shapes", () => {
  const meta: EntityColumns = {
    platform: 'meta',
    levels: [
      { name: ref(1, 'Campaign name'), id: ref(2, 'Campaign ID') },
      { name: ref(3, 'Ad set name'), id: ref(4, 'Ad set ID') },
    ],
    dateIndex: 0,
  };
  const metaNoIds: EntityColumns = { platform: 'meta', levels: [{ name: ref(1, 'Campaign name'), id: undefined }], dateIndex: 0 };

  it("Meta's summary row has blank names and IDs", () => {
    expect(summaryRowLabel(['', '', '', '', '', '4812.33'], meta)).toBe('summary row');
    expect(summaryRowLabel(['2025-09-01', ' ', '', '', '', '4812.33'], meta)).toBe('summary row');
  });

  it('`All` in a name cell with no ID is a subtotal; an entity really named All keeps its ID or its day', () => {
    expect(summaryRowLabel(['', 'Spring', '1202', 'All', '', '55'], meta)).toBe('"All" subtotal');
    expect(summaryRowLabel(['2025-09-01', 'Spring', '1202', 'All', '1203', '55'], meta)).toBeNull();
    expect(summaryRowLabel(['2025-09-01', 'All', '55'], metaNoIds)).toBeNull();
    expect(summaryRowLabel(['', 'All', '55'], metaNoIds)).toBe('"All" subtotal');
  });

  it('a Meta campaign whose name starts with a word for "total" is data', () => {
    for (const name of [
      'Total Wine | Prospecting',
      'Gesamt Deutschland',
      'Totaal: Account',
      'Total: Brand',
      'Summe Herbst',
      'Total of 3 ads',
    ]) {
      expect(summaryRowLabel(['2025-09-01', name, '55'], metaNoIds), name).toBeNull();
      expect(
        summaryRowLabel([name, '', '55'], { ...metaNoIds, levels: [{ name: ref(0, 'Campaign name'), id: undefined }], dateIndex: 1 }),
        name,
      ).toBeNull();
    }
  });

  it("Google's total rows: `Total: …`, Dutch `Totaal: …`, legacy `Total - filtered` and `Total`, wherever the label sits", () => {
    const google: EntityColumns = { platform: 'google', levels: [{ name: ref(1, 'Campaign'), id: ref(2, 'Campaign ID') }], dateIndex: 0 };
    expect(summaryRowLabel(['Total: Account', '', '', 'USD', '1,516'], google)).toBe('Total: Account');
    expect(summaryRowLabel(['Totaal: Alle campagnen, behalve de verwijderde', '', '', 'EUR'], google)).toBe(
      'Totaal: Alle campagnen, behalve de verwijderde',
    );
    expect(summaryRowLabel(['Total - filtered', ' --', ' --', ' --'], google)).toBe('Total - filtered');
    expect(summaryRowLabel(['Total', ' --', ' --', '5990'], google)).toBe('Total');
    // The label in the third column, the first two blank (a keyword report).
    const keywords: EntityColumns = { platform: 'google', levels: [{ name: ref(3, 'Campaign'), id: undefined }], dateIndex: 4 };
    expect(summaryRowLabel(['', '', 'Total: Account', '', '', '"1,606,880"'], keywords)).toBe('Total: Account');
    // Campaign first, no ID column: a campaign called "Brand: Search" or "Total: Brand" has its day.
    const byName: EntityColumns = { platform: 'google', levels: [{ name: ref(0, 'Campaign'), id: undefined }], dateIndex: 1 };
    expect(summaryRowLabel(['Total: Account', '', '1,516'], byName)).toBe('Total: Account');
    expect(summaryRowLabel(['Brand: Search', '2025-09-01', '96'], byName)).toBeNull();
    expect(summaryRowLabel(['Total: Brand', '2025-09-01', '96'], byName)).toBeNull();
    expect(summaryRowLabel(['Total Wine | Search', '', '96'], byName)).toBeNull();
    // A total row has no ID.
    expect(summaryRowLabel(['Total: Account', 'Brand', '2145', 'USD'], google)).toBeNull();
  });

  it("TikTok's total rows: `Total of N …`, Japanese `全2件の結果`, Korean `총 6개 결과`", () => {
    const tiktok: EntityColumns = {
      platform: 'tiktok',
      levels: [{ name: ref(1, 'Campaign name'), id: ref(2, 'Campaign ID') }],
      dateIndex: 0,
    };
    expect(summaryRowLabel(['Total of 3 ads', '', '', 'USD'], tiktok)).toBe('Total of 3 ads');
    expect(summaryRowLabel(['Total of 1,204 ads', '', '', 'USD'], tiktok)).toBe('Total of 1,204 ads');
    const byName: EntityColumns = { platform: 'tiktok', levels: [{ name: ref(0, 'キャンペーン名'), id: undefined }], dateIndex: 1 };
    expect(summaryRowLabel(['全2件の結果', '-', '80000'], byName)).toBe('全2件の結果');
    expect(summaryRowLabel(['총 6개 결과', '-', '80000'], byName)).toBe('총 6개 결과');
    expect(summaryRowLabel(['Total of fame', '2025-09-01', '80000'], byName)).toBeNull();
    expect(summaryRowLabel(['Total: Account', '', '80000'], byName)).toBeNull();
  });

  it('a data row is not a summary', () => {
    expect(summaryRowLabel(['2025-09-01', 'Spring', '1202', 'Broad', '1203', '55'], meta)).toBeNull();
    expect(summaryRowLabel(['2025-09-01', '', '1202', '', '1203', '55'], meta)).toBeNull();
  });
});
