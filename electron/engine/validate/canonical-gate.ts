import { CanonicalRow } from '../../../shared/canonical.ts';

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
 * (and the message). The shortcut is used only if it agrees with zod on probe values.
 */
export class CanonicalGate {
  private readonly shapes = new Map<string, GateProblem[]>();
  private readonly fast = new Map<Key, RegExp[]>();

  constructor() {
    const probes = ['0', '12', '1.5', '007', '1.', '-1', '1e3', ' 1', '1,5', '', '99999999999999999999.000001'];
    for (const key of ['impressions', 'clicks', 'spend', 'conversions', 'conversion_value'] as const) {
      const patterns = regexesOf(shape[key]);
      if (patterns === null) continue;
      const agrees = probes.every((p) => patterns.every((r) => r.test(p)) === shape[key].safeParse(p).success);
      if (agrees) this.fast.set(key, patterns);
    }
  }

  /** The metric fields checked by the shortcut (all five with the current schemas). */
  shortcutKeys(): Key[] {
    return [...this.fast.keys()];
  }

  fieldProblem(key: Key, value: string | undefined): string | null {
    const patterns = this.fast.get(key);
    if (patterns !== undefined && value !== undefined) {
      let ok = true;
      for (let i = 0; i < patterns.length && ok; i++) ok = patterns[i]!.test(value);
      if (ok) return null;
    }
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
