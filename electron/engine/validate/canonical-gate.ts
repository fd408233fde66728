import { CanonicalRow } from '../../../shared/canonical.ts';

type Key = keyof typeof CanonicalRow.shape;
const shape = CanonicalRow.shape;

export interface GateProblem {
  key: Key | null;
  message: string;
}

/**
 * `CanonicalRow.safeParse`, fast enough for 100,000 rows. A row passes exactly when the zod schema
 * accepts it: each field is checked with the schema's own field schema, and the object-level
 * rules (strict keys, ad set id/name together, an ad needs its ad set) are checked with the full
 * schema once per set of present keys, since they depend only on which keys are present. Field
 * checks are pure, so callers may keep a field's result and reuse it for the same value
 * (`fieldProblem` once per distinct date, ID or name).
 */
export class CanonicalGate {
  private readonly shapes = new Map<string, GateProblem[]>();

  fieldProblem(key: Key, value: string | undefined): string | null {
    const r = shape[key].safeParse(value);
    return r.success ? null : (r.error.issues[0]?.message ?? 'invalid');
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
    const keys = shapeKey;
    let problems = this.shapes.get(keys);
    if (problems === undefined) {
      const r = CanonicalRow.safeParse(row);
      problems = r.success
        ? []
        : r.error.issues
            .filter((i) => i.path.length === 0 || i.code === 'unrecognized_keys')
            .map((i) => ({ key: null, message: i.message }));
      this.shapes.set(keys, problems);
    }
    return problems;
  }
}
