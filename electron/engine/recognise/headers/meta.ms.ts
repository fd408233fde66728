import type { HeaderTable } from './types.ts';

/** Meta Ads Manager, Malay UI: a Malay export fixture (docs/header-evidence.md#m6, public code file 56765223478). */
export const META_MS: HeaderTable = {
  platform: 'meta',
  language: 'ms',
  sources: { M6: 'docs/header-evidence.md#m6: a test fixture of a Malay Meta export (public code file 56765223478)' },
  fields: {
    range_start: ['Tarikh mula'],
    ad_name: ['Nama iklan'],
    impressions: ['Teraan'],
  },
  spendBases: ['Jumlah dibelanjakan'], // `Jumlah dibelanjakan (MYR)`
  ignored: ['Capaian'],
  signatures: ['Nama iklan', 'Teraan', 'Tarikh mula', 'Capaian'],
};
