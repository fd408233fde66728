/**
 * Entities matched by name (the export has no ID column for their level, or a spreadsheet rounded
 * it) carry no platform ID. Their external id is a key derived from the name instead: `name:`
 * followed by 48 hex digits of SHA-256 over the parent's external id (empty for a campaign), a zero
 * byte and the name, both UTF-8. It fits the 64 characters of an external id whatever the name's
 * length (names keep their own limit, 1,024 characters), it is the same on every computer and on the
 * server (`metricdrop_private.name_key`, supabase/migrations/030), and it scopes an ad set or ad to
 * its parent: two ad sets both called "Broad" in two campaigns are two ad sets. No platform ID starts
 * with `name:`, so the server knows which entities to match by name.
 */
export const NAME_KEY_PREFIX = 'name:';
export const NAME_KEY_HEX_DIGITS = 48;

/** Whether an external id is a key derived from a name rather than the platform's ID. */
export function isNameKey(externalId: string): boolean {
  return externalId.startsWith(NAME_KEY_PREFIX);
}
