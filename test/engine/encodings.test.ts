import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateExport } from '../../electron/engine/validate/index.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', 'fixtures', name);

describe('the report says which encoding a file was read in', () => {
  it.each([
    ['encodings/meta-campaign-daily-windows-1252.csv', 'windows-1252', 'Soldes d’hiver à Besançon'],
    ['encodings/meta-campaign-daily-windows-1250.csv', 'windows-1250', 'Świąteczna kampania Poznań'],
    ['encodings/tiktok-campaign-daily-shift-jis.csv', 'shift_jis', '秋のキャンペーン（東京）'],
    ['encodings/google-campaign-daily-utf16le-no-bom.csv', 'utf-16le', 'Brand'],
    ['meta/ad-daily-summary-row.csv', 'utf-8', 'Prospecting | US, CA'],
    ['google/adgroup-daily-excel-utf16le-tab.csv', 'utf-16le', null],
  ])('%s: %s', async (name, encoding, campaign) => {
    const { report, rows, facts } = await validateExport(fixture(name));
    expect(report.refused).toBeNull();
    expect(facts.encoding).toBe(encoding);
    expect(report.read).toEqual({ encoding, workbook: null });
    if (campaign !== null) expect(rows.map((r) => r.row.campaign_name)).toContain(campaign);
  });

  it('an unsure legacy file is refused with the likely encodings, and the report says nothing was decided', async () => {
    const { report } = await validateExport(fixture('refuse/windows-1252-encoding.csv'));
    expect(report.refused?.code).toBe('ENCODING_ERROR');
    expect(report.refused?.message).toMatch(/most likely .*Windows-1252 \(Western European\)/);
    expect(report.read?.encoding).toBe('utf-8');
  });
});
