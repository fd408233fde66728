import * as z from 'zod';

/** The three platforms whose exports metricdrop reads. */
export const Platform = z.enum(['meta', 'google', 'tiktok']);
export type Platform = z.infer<typeof Platform>;

/** The finest entity level a file carries. */
export const Level = z.enum(['campaign', 'ad_set', 'ad']);
export type Level = z.infer<typeof Level>;

/** An exact non-negative decimal kept as text (`"1234.56"`), never a float. Any length (totals, sums). */
export const DecimalString = z.string().regex(/^(0|[1-9]\d*)(\.\d+)?$/, 'a non-negative decimal such as 1234.56');
/** An exact non-negative integer kept as text (counts can exceed 2^53 in theory; IDs always do). Any length. */
export const IntegerString = z.string().regex(/^(0|[1-9]\d*)$/, 'a non-negative whole number');

/**
 * What the database keeps of one canonical row (`metricdrop_private.first_row_problem` in
 * supabase/migrations refuses anything longer): the row's limits, defined here once. Lengths of
 * text are in characters (Unicode code points), as PostgreSQL's `length()` counts them.
 * test/db/canonical-parity.test.ts runs the same payloads through this schema and the SQL.
 */
export const CANONICAL_LIMITS = {
  /** impressions and clicks: digits (bigint holds 18 with room to sum). */
  countDigits: 18,
  /** spend, conversions, conversion_value: characters of the canonical text, point included. */
  decimalChars: 40,
  externalIdChars: 64,
  nameChars: 1024,
} as const;

/** One count of a canonical row: a whole number of at most 18 digits. */
export const CountValue = z
  .string()
  .regex(
    new RegExp(`^(0|[1-9]\\d{0,${CANONICAL_LIMITS.countDigits - 1}})$`),
    `a whole number of at most ${CANONICAL_LIMITS.countDigits} digits`,
  );
/** One amount of a canonical row: a non-negative decimal of at most 40 characters. */
export const AmountValue = z
  .string()
  .regex(
    new RegExp(`^(?=.{1,${CANONICAL_LIMITS.decimalChars}}$)(0|[1-9]\\d*)(\\.\\d+)?$`),
    `a non-negative decimal of at most ${CANONICAL_LIMITS.decimalChars} characters (digits and the point), such as 1234.56`,
  );

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => {
    // Year 0000 is not a PostgreSQL date (there is no year 0), though JavaScript's calendar has one.
    if (s.startsWith('0000')) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'a real calendar date');
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD');

/** Characters as PostgreSQL counts them (code points): an emoji is one, not two UTF-16 units. */
export function characterCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** Text PostgreSQL can store: no NUL character and no lone surrogate (jsonb refuses both). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
const STORABLE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/** Required text of 1 to `max` characters, not only spaces (the server's `btrim(...) = ''`). */
function requiredText(max: number, what: string) {
  return z
    .string()
    .refine((s) => s.length > 0 && (s.length <= max || characterCount(s) <= max), `${what} of 1 to ${max} characters`)
    .refine((s) => /[^ ]/.test(s), `${what} that is not only spaces`)
    .refine((s) => STORABLE_TEXT.test(s), `${what} without NUL characters or broken UTF-16`);
}

/** External IDs are text; never a number (18-19 digit IDs exceed 2^53). */
export const ExternalId = requiredText(CANONICAL_LIMITS.externalIdChars, 'text');
export const EntityName = requiredText(CANONICAL_LIMITS.nameChars, 'text');

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
    impressions: CountValue,
    clicks: CountValue,
    spend: AmountValue,
    conversions: AmountValue,
    conversion_value: AmountValue,
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
