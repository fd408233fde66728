/** Small text helpers for the validator's hot path and its messages. */

/** `s.trim()`, without allocating when there is nothing to trim (the usual case). */
export function trim(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  return first > 32 && last > 32 && first !== 160 && last !== 160 ? s : s.trim();
}

/**
 * A copy of `s` that does not keep the parsed chunk it was cut from alive (V8 substrings of 13 or
 * more characters share their parent's memory), so cells kept from a chunk never pin the file.
 * The copy is a flat string, not a substring of a copy (`(' ' + s).slice(1)` is one): comparing a
 * cell with a flat string is several times faster, and entity IDs and names are compared on every
 * row. (`[s, ''].join('')` would return `s` itself.) Used once per distinct value, so its cost is small.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** A cell value as quoted in a message: long values are cut. */
export function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}
