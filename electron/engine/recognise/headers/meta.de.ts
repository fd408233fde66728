import type { HeaderTable } from './types.ts';

/**
 * Meta Ads Manager, German UI. Only names seen in public parsers of German exports (spec M6: public
 * file ids 43519876947, 56304138458, 53779016975, 70459752257). The ID columns and the purchase
 * columns are not backed yet, so a German file with them is refused naming them (or mapped).
 */
export const META_DE: HeaderTable = {
  platform: 'meta',
  language: 'de',
  sources: {
    M6: '../shared/spec/platform-exports.md §1(c)10 and M6 (four German parsers)',
    parser: 'public file id 70937938651 (CSV parser: `tag`, `kampagnenname`, `name der anzeigengruppe`, `impressionen`)',
  },
  fields: {
    date: ['Tag'], // M6; 70937938651
    campaignName: ['Kampagnenname'], // M6; 70937938651
    adSetName: ['Name der Anzeigengruppe'], // M6; 70937938651
    adName: ['Anzeigenname'], // M6
    impressions: ['Impressionen'], // M6; 70937938651
    clicks: ['Link-Klicks', 'Klicks (alle)'], // M6
  },
  spendBases: ['Ausgegebener Betrag'], // M6 `Ausgegebener Betrag (EUR)`
  ignored: ['Reichweite'], // M6
  signatures: ['Kampagnenname', 'Name der Anzeigengruppe', 'Anzeigenname', 'Link-Klicks', 'Klicks (alle)', 'Impressionen', 'Reichweite'],
};
