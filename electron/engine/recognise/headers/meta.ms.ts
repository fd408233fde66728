import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Malay UI (spec M6: public file id 56765223478, a Malay export fixture). */
export const META_MS: HeaderTable = {
  platform: 'meta',
  language: 'ms',
  sources: { M6: '../shared/spec/platform-exports.md §1(c)10, M6 (public file id 56765223478)' },
  fields: {
    range_start: ['Tarikh mula'],
    ad_name: ['Nama iklan'],
    impressions: ['Teraan'],
  },
  spendBases: ['Jumlah dibelanjakan'], // `Jumlah dibelanjakan (MYR)`
  ignored: ['Capaian'],
  signatures: ['Nama iklan', 'Teraan', 'Tarikh mula', 'Capaian'],
};
