import type { ValidateReport } from '../../../shared/report.ts';
import { createMappingApi } from '../mapping/api.ts';
import type { Store } from '../store/open.ts';
import { insertValidation } from '../store/validations.ts';
import type { CommitMessage } from './session.ts';

/**
 * The end of a recording, in its transaction: the mapping settled as `mappings.settle` settles it
 * on the engine's thread, then the validation, its issues and its audit event. Loaded by the thread
 * while the first rows come (it brings the zod schemas, which the rows do without).
 */
export function finishValidation(db: Store, m: CommitMessage): ValidateReport['mapped'] {
  const v = m.validation;
  const mappings = createMappingApi({ db, clock: { now: () => new Date(m.settle.now) } });
  mappings.settle(v.report, m.settle.facts, m.settle.save);
  insertValidation(db, { id: v.id, at: new Date(v.at), filePath: v.filePath, report: v.report });
  return v.report.mapped;
}
