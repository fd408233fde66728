import { CANONICAL_LIMITS, CanonicalRow } from '../../../shared/canonical.ts';

type Key = keyof typeof CanonicalRow.shape;
const shape = CanonicalRow.shape;

export interface GateProblem {
  key: Key | null;
  message: string;
}

/** The regular expressions of a zod string schema whose only checks are regexes, or null. */
function regexesOf(schema: unknown): RegExp[] | null {
  const def = (schema as { _zod?: { def?: { type?: string; checks?: unknown[] } } })._zod?.def;
  if (def?.type !== 'string') return null;
  const patterns: RegExp[] = [];
  for (const check of def.checks ?? []) {
    const d = (check as { _zod?: { def?: { check?: string; format?: string; pattern?: unknown } } })._zod?.def;
    if (d?.check !== 'string_format' || d.format !== 'regex' || !(d.pattern instanceof RegExp) || d.pattern.global || d.pattern.sticky)
      return null;
    patterns.push(d.pattern);
  }
  return patterns;
}

/** The entity text fields and the most UTF-16 units the text shortcut accepts in each (the schema's limit). */
const TEXT_KEYS = [
  ['campaign_external_id', CANONICAL_LIMITS.externalIdChars],
  ['ad_set_external_id', CANONICAL_LIMITS.externalIdChars],
  ['ad_external_id', CANONICAL_LIMITS.externalIdChars],
  ['campaign_name', CANONICAL_LIMITS.nameChars],
  ['ad_set_name', CANONICAL_LIMITS.nameChars],
  ['ad_name', CANONICAL_LIMITS.nameChars],
] as const satisfies readonly (readonly [Key, number])[];

/**
 * Text the entity schemas plainly accept: 1 to `max` UTF-16 units (so at most `max` characters), not
 * only spaces, no NUL and no surrogate at all (a pair is storable, but is left to zod with anything
 * else). False says nothing: the value goes to zod.
 */
export function plainText(value: string, max: number): boolean {
  const n = value.length;
  if (n === 0 || n > max) return false;
  let notSpace = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 32) continue;
    if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) return false;
    notSpace = true;
  }
  return notSpace;
}

/**
 * Values on either side of each rule of an entity text schema (length, only spaces, NUL, surrogates)
 * and control and other unusual characters: the text shortcut is used for a key only if zod accepts
 * every one of these the shortcut accepts, so a schema made stricter turns the shortcut off.
 * (canonical-gate.test.ts compares many more values with zod.)
 */
export function textProbes(max: number): string[] {
  const probes = ['', ' ', 'a', ' a ', '0', 'a\u0000', 'a\ud83d', '\ude00a', '\ud83d\ude00', 'é', '名前', '"', "'", '\\'];
  for (const c of ['\t', '\n', '\r', '\u0001', '\u001f', '\u007f', '\u0085', '\u00a0', '\u2028', '\u3000', '\ufeff', '\uffff']) {
    probes.push(c, `a${c}b`);
  }
  probes.push('x'.repeat(max), 'x'.repeat(max + 1), ' '.repeat(max), `${' '.repeat(max - 1)}x`);
  return probes;
}

/** Whether `schema` accepts every probe `plainText` accepts with this limit (the text shortcut may stand in for it). */
export function textShortcutAgrees(schema: { safeParse(value: unknown): { success: boolean } }, max: number): boolean {
  return textProbes(max).every((p) => !plainText(p, max) || schema.safeParse(p).success);
}

/**
 * The entity text fields whose schema agrees with the text shortcut, with their limits: checked by
 * each gate (about 200 zod parses, a millisecond or two), since the engine keeps no module-level state.
 */
function textShortcut(): ReadonlyMap<Key, number> {
  const keys = new Map<Key, number>();
  for (const [key, max] of TEXT_KEYS) if (textShortcutAgrees(shape[key], max)) keys.set(key, max);
  return keys;
}

/**
 * `CanonicalRow.safeParse`, fast enough for 100,000 rows. A row passes exactly when the zod schema
 * accepts it: each field is checked with the schema's own field schema, and the object-level
 * rules (strict keys, ad set id/name together, an ad needs its ad set) are checked with the full
 * schema once per set of present keys, since they depend only on which keys are present. Field
 * checks are pure, so callers may keep a field's result and reuse it for the same value
 * (`fieldProblem` once per distinct date, ID or name).
 *
 * Metric schemas are plain regexes in zod: a value their regexes accept is accepted without the
 * allocation of a zod parse, anything else still goes through `safeParse`, which has the last word
 * (and the message). The shortcut is used only if it agrees with zod on probe values. Entity IDs
 * and names are refinements zod runs as functions: `plainText` accepts what they plainly accept
 * (non-blank text within the length, no NUL, no surrogate), again with zod on anything else, and
 * only where zod accepts every probe `plainText` does (`textProbes`).
 */
export class CanonicalGate {
  private readonly shapes = new Map<string, GateProblem[]>();
  private readonly fast = new Map<Key, RegExp[]>();
  /** The entity text fields checked by `plainText` first, with their most UTF-16 units. */
  private readonly text: ReadonlyMap<Key, number>;

  constructor() {
    const probes = ['0', '12', '1.5', '007', '1.', '-1', '1e3', ' 1', '1,5', '', '99999999999999999999.000001'];
    for (const key of ['impressions', 'clicks', 'spend', 'conversions', 'conversion_value'] as const) {
      const patterns = regexesOf(shape[key]);
      if (patterns === null) continue;
      const agrees = probes.every((p) => patterns.every((r) => r.test(p)) === shape[key].safeParse(p).success);
      if (agrees) this.fast.set(key, patterns);
    }
    this.text = textShortcut();
  }

  /** The metric fields checked by the shortcut (all five with the current schemas). */
  shortcutKeys(): Key[] {
    return [...this.fast.keys()];
  }

  /** The entity ID and name fields checked by `plainText` first (all six with the current schemas). */
  textShortcutKeys(): Key[] {
    return [...this.text.keys()];
  }

  fieldProblem(key: Key, value: string | undefined): string | null {
    const patterns = this.fast.get(key);
    if (patterns !== undefined && value !== undefined) {
      let ok = true;
      for (let i = 0; i < patterns.length && ok; i++) ok = patterns[i]!.test(value);
      if (ok) return null;
    }
    const max = this.text.get(key);
    if (max !== undefined && value !== undefined && plainText(value, max)) return null;
    const r = shape[key].safeParse(value);
    return r.success ? null : (r.error.issues[0]?.message ?? 'invalid');
  }

  /** `fieldProblem` of one key, its checks looked up once (for the per-row metric cells). */
  checker(key: Key): (value: string) => string | null {
    const patterns = this.fast.get(key) ?? null;
    const schema = shape[key];
    return (value) => {
      if (patterns !== null) {
        let ok = true;
        for (let i = 0; i < patterns.length && ok; i++) ok = patterns[i]!.test(value);
        if (ok) return null;
      }
      const r = schema.safeParse(value);
      return r.success ? null : (r.error.issues[0]?.message ?? 'invalid');
    };
  }

  /** The object-level problems already known for this shape, if it has been checked. */
  knownShape(shapeKey: string): GateProblem[] | undefined {
    return this.shapes.get(shapeKey);
  }

  /**
   * Object-level problems of a row whose fields all passed, checked with the full schema on the
   * first row of each shape. `shapeKey` names the set of keys present (the caller knows it).
   */
  shapeProblems(row: Record<string, string>, shapeKey: string): GateProblem[] {
    let problems = this.shapes.get(shapeKey);
    if (problems === undefined) {
      const r = CanonicalRow.safeParse(row);
      problems = r.success
        ? []
        : r.error.issues
            .filter((i) => i.path.length === 0 || i.code === 'unrecognized_keys')
            .map((i) => ({ key: null, message: i.message }));
      this.shapes.set(shapeKey, problems);
    }
    return problems;
  }
}
