import * as z from 'zod';
import { Platform } from './canonical.ts';
import { FIELD_INFO, MAPPABLE_FIELDS, PLATFORM_LABEL, confirmedDay } from './mapping-fields.ts';

export { FIELD_INFO, MAPPABLE_FIELDS, PLATFORM_LABEL, confirmedDay, type FieldKind } from './mapping-fields.ts';

/**
 * Column mapping: the user's answer when metricdrop cannot place some columns of a file (a renamed
 * column, a custom preset, a UI language without a table, a header several platforms write). The
 * engine proposes one (`MappingProposal`, in a refused report's `mapping`), the user confirms it
 * (`ColumnMapping`), the store keeps it per platform and header signature (`SavedMapping`), and a
 * report says when one was applied (`AppliedMapping`, in the report's `mapped`).
 */

export const MappableField = z.enum(MAPPABLE_FIELDS);
export type MappableField = z.infer<typeof MappableField>;

/**
 * Whether a field must have a column: `yes` always; `one_of` a campaign name or a campaign ID
 * (either will do); `no` optional (ad set and ad columns decide the level; missing metrics are 0).
 */
export const FieldRequirement = z.enum(['yes', 'one_of', 'no']);
export type FieldRequirement = z.infer<typeof FieldRequirement>;

export const FIELD_REQUIREMENT: Record<MappableField, FieldRequirement> = {
  date: 'yes',
  campaign_name: 'one_of',
  campaign_id: 'one_of',
  ad_set_name: 'no',
  ad_set_id: 'no',
  ad_name: 'no',
  ad_id: 'no',
  impressions: 'yes',
  clicks: 'yes',
  spend: 'yes',
  conversions: 'no',
  conversion_value: 'no',
  currency: 'no',
};

/** A confirmed mapping: the platform, and for each field given, the file's header as written. */
export const ColumnMapping = z.object({
  platform: Platform,
  fields: z.partialRecord(MappableField, z.string().min(1)),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** One column of the file with up to three of its first non-empty values. */
export const ColumnSample = z.object({
  index: z.number().int().nonnegative(),
  header: z.string(),
  samples: z.array(z.string()).max(3),
});
export type ColumnSample = z.infer<typeof ColumnSample>;

/** Why a column is proposed for a field. */
export const ProposalReason = z.enum(['header_table', 'values', 'saved', 'none']);
export type ProposalReason = z.infer<typeof ProposalReason>;

export const FieldProposal = z.object({
  field: MappableField,
  required: FieldRequirement,
  /** The proposed column's index in the header, or null for none. */
  column: z.number().int().nonnegative().nullable(),
  header: z.string().nullable(),
  reason: ProposalReason,
  /** One sentence: which table knows the header, or what in the values points to the column. */
  because: z.string(),
});
export type FieldProposal = z.infer<typeof FieldProposal>;

/** What metricdrop proposes for one platform the file may come from. */
export const PlatformProposal = z.object({
  platform: Platform,
  fields: z.array(FieldProposal),
});
export type PlatformProposal = z.infer<typeof PlatformProposal>;

/** A refused report's `mapping`: enough for a person to place the columns and try again. */
export const MappingProposal = z.object({
  /** The platform the file was recognised as (or given); null when the header does not decide it. */
  platform: Platform.nullable(),
  /** Every platform the file may come from, the likeliest first, each with its own proposal. */
  candidates: z.array(PlatformProposal).min(1),
  /** The file's columns, in order, with sample values. */
  columns: z.array(ColumnSample),
  /** The spreadsheet row of the header. */
  headerRow: z.number().int().positive().nullable(),
  /** The normalised header signature a confirmed mapping is saved under. */
  signature: z.string(),
});
export type MappingProposal = z.infer<typeof MappingProposal>;

/** A validated report's `mapped`: the confirmed mapping it was read with. */
export const AppliedMapping = z.object({
  /** The saved mapping's id (null when it was not saved: `--no-save`). */
  id: z.string().nullable(),
  platform: Platform,
  fields: z.partialRecord(MappableField, z.string()),
  /** `given`: confirmed for this file now; `saved`: a mapping confirmed earlier for the same header. */
  source: z.enum(['given', 'saved']),
  confirmedAt: z.string(),
  /** For people: "Columns mapped as you confirmed on 3 Dec 2026: Spend = "Budget used"." */
  note: z.string(),
});
export type AppliedMapping = z.infer<typeof AppliedMapping>;

/** A mapping the local store keeps. */
export const SavedMapping = z.object({
  id: z.string(),
  platform: Platform,
  signature: z.string(),
  /** The header it was confirmed for, as written. */
  headers: z.array(z.string()),
  fields: z.partialRecord(MappableField, z.string()),
  confirmedAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type SavedMapping = z.infer<typeof SavedMapping>;

/** The report's note for an applied mapping. */
export function mappingNote(platform: Platform, fields: Partial<Record<MappableField, string>>, confirmedAt: string): string {
  const pairs = MAPPABLE_FIELDS.filter((f) => fields[f] !== undefined).map((f) => `${FIELD_INFO[f].label} = "${fields[f]}"`);
  return `Columns mapped as you confirmed on ${confirmedDay(confirmedAt)} (${PLATFORM_LABEL[platform]}${pairs.length ? `; ${pairs.join(', ')}` : ''}).`;
}
