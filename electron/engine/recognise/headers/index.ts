import type { HeaderTable } from './types.ts';
import { GOOGLE_DE } from './google.de.ts';
import { GOOGLE_EN } from './google.en.ts';
import { GOOGLE_ES } from './google.es.ts';
import { GOOGLE_FR } from './google.fr.ts';
import { GOOGLE_NL } from './google.nl.ts';
import { META_DE } from './meta.de.ts';
import { META_EN } from './meta.en.ts';
import { META_ES } from './meta.es.ts';
import { META_FR } from './meta.fr.ts';
import { META_IT } from './meta.it.ts';
import { META_JA } from './meta.ja.ts';
import { META_KO } from './meta.ko.ts';
import { META_MS } from './meta.ms.ts';
import { META_NL } from './meta.nl.ts';
import { META_PL } from './meta.pl.ts';
import { META_PT } from './meta.pt.ts';
import { TIKTOK_EN } from './tiktok.en.ts';
import { TIKTOK_ES } from './tiktok.es.ts';
import { TIKTOK_JA } from './tiktok.ja.ts';
import { TIKTOK_KO } from './tiktok.ko.ts';
import { TIKTOK_PT } from './tiktok.pt.ts';

export type { Field, HeaderTable, Language } from './types.ts';

/** Every header table, one per platform and UI language (see each file for its evidence). */
export const HEADER_TABLES: readonly HeaderTable[] = [
  META_EN,
  META_DE,
  META_ES,
  META_FR,
  META_IT,
  META_JA,
  META_KO,
  META_MS,
  META_NL,
  META_PL,
  META_PT,
  GOOGLE_EN,
  GOOGLE_DE,
  GOOGLE_ES,
  GOOGLE_FR,
  GOOGLE_NL,
  TIKTOK_EN,
  TIKTOK_ES,
  TIKTOK_JA,
  TIKTOK_KO,
  TIKTOK_PT,
];
