import { z } from 'zod';

/** The three platforms whose exports metricdrop reads. */
export const Platform = z.enum(['meta', 'google', 'tiktok']);
export type Platform = z.infer<typeof Platform>;

/** The finest entity level a file carries. */
export const Level = z.enum(['campaign', 'ad_set', 'ad']);
export type Level = z.infer<typeof Level>;

/** An exact non-negative decimal kept as text (`"1234.56"`), never a float. */
export const DecimalString = z
  .string()
  .regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'a non-negative decimal such as 1234.56');
/** An exact non-negative integer kept as text (counts can exceed 2^53 in theory; IDs always do). */
export const IntegerString = z.string().regex(/^(0|[1-9]\d*)$/, 'a non-negative whole number');
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'a real calendar date');
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');
/** External IDs are text; never a number (18-19 digit IDs exceed 2^53). */
export const ExternalId = z.string().min(1).max(64);
export const EntityName = z.string().min(1).max(1024);

/**
 * The canonical row of the data contract: what every platform's export is mapped to and what
 * `staging_rows.payload` holds. The single definition of the row's shape.
 */
export const CanonicalRow = z
  .object({
    date: IsoDate,
    campaign_external_id: ExternalId,
    campaign_name: EntityName,
    ad_set_external_id: ExternalId.optional(),
    ad_set_name: EntityName.optional(),
    ad_external_id: ExternalId.optional(),
    ad_name: EntityName.optional(),
    impressions: IntegerString,
    clicks: IntegerString,
    spend: DecimalString,
    conversions: DecimalString,
    conversion_value: DecimalString,
    currency: CurrencyCode.optional(),
  })
  .strict()
  .refine((r) => (r.ad_set_external_id === undefined) === (r.ad_set_name === undefined), {
    message: 'ad set id and name go together',
  })
  .refine((r) => (r.ad_external_id === undefined) === (r.ad_name === undefined), {
    message: 'ad id and name go together',
  })
  .refine((r) => r.ad_external_id === undefined || r.ad_set_external_id !== undefined, {
    message: 'an ad row needs its ad set',
  });
export type CanonicalRow = z.infer<typeof CanonicalRow>;
