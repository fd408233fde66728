import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors.ts';
import { validateExport, type ValidationResult } from '../engine/validate/index.ts';
import type { AppEngine } from './engine-port.ts';
import { campaignSummaries, spendByDay } from './spend-by-day.ts';

function notInThisBuild(what: string): never {
  throw new AppError('SERVER_ERROR', `${what} is not available in this build of metricdrop yet.`);
}

/**
 * The engine in the window's terms (see engine-port.ts). Validation runs the real streaming
 * validator; the rows it keeps per validation feed the spend-per-day chart.
 */
export function createAppEngine(opts: { newId?: () => string } = {}): AppEngine {
  const newId = opts.newId ?? randomUUID;
  const validations = new Map<string, ValidationResult>();
  const validation = (id: string): ValidationResult => {
    const v = validations.get(id);
    if (!v) throw new AppError('INVALID_INPUT', 'That validation is no longer open. Add the file again.');
    return v;
  };

  return {
    async validate(path, { platform, fileName }) {
      const result = await validateExport(path, { platform, fileName });
      const validationId = newId();
      validations.set(validationId, result);
      return { validationId, report: result.report };
    },
    async spendByDay(validationId) {
      const v = validation(validationId);
      return spendByDay(v.rows, v.report.dateRange, v.report.currency);
    },
    async campaigns(validationId) {
      return campaignSummaries(validation(validationId).rows);
    },
    async session() {
      return { remembered: null, user: null, online: true };
    },
    signIn: async () => notInThisBuild('Signing in'),
    signOut: async () => ({ remembered: null, user: null, online: true }),
    workspaces: async () => notInThisBuild('Listing workspaces'),
    clients: async () => notInThisBuild('Listing clients'),
    dryRun: async () => notInThisBuild('The dry run'),
    upload: async () => notInThisBuild('Uploading'),
    resume: async () => notInThisBuild('Resuming'),
    interrupted: async () => [],
    history: async () => notInThisBuild('History'),
    historyEntry: async () => notInThisBuild('History'),
  };
}
