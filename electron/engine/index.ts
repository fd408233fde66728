import { dirname, join } from 'node:path';
import { createValidationApi, type EngineDeps } from './validation.ts';
import { createUploadService } from './upload/service.ts';
import { FileSessionStorage } from './upload/session.ts';
import { createHistory } from './history.ts';
import { sleepOn } from './deps.ts';

export { silentLogger, systemClock, type Clock, type Logger } from './deps.ts';
export {
  createValidationApi,
  type EngineDeps,
  type ValidateFileOptions,
  type ValidationApi,
  type ValidationOutcome,
} from './validation.ts';

/**
 * The engine: one object with every operation, built from its dependencies. Each part contributes
 * its functions (`createValidationApi` of validation.ts; upload and session functions are spread in the same way).
 */
export function createEngine(deps: EngineDeps) {
  const validation = createValidationApi(deps);
  const home = deps.home ?? dirname(deps.db.name);
  const uploads = createUploadService({
    db: deps.db,
    home,
    now: () => deps.clock.now(),
    sleep: sleepOn(deps.clock),
    sessionStorage: deps.sessionStorage ?? new FileSessionStorage(join(home, 'session.json')),
    validations: validation,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.rpc ? { rpc: deps.rpc } : {}),
    ...(deps.patienceMs === undefined ? {} : { patienceMs: deps.patienceMs }),
  });
  // The window's history: validations and uploads in one list (history.ts).
  const history = createHistory(deps.db);
  return { ...validation, uploads, history };
}

export type Engine = ReturnType<typeof createEngine>;
export type { StoredValidation } from './store/validations.ts';
export type { AuditEvent } from './store/audit.ts';
export type { ValidatedRow, ValidateOptions } from './validate/index.ts';
