import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/ipc-contract.ts';
import type { ValidateReport } from '../../shared/report.ts';
import { contractCheckedHandlers } from '../../test/support/contract-check.ts';
import { scriptedEngine } from '../../test/support/scripted-engine.ts';
import { validateExport } from '../engine/validate/index.ts';
import type { AppEngine, GivenRunHooks } from './engine-port.ts';
import { createFileRegistry } from './files.ts';
import { createHandlers } from './handlers.ts';
import { dispatch } from './result.ts';

/**
 * The handlers of the contract over a scripted engine: what they ask of the engine, what they add
 * (the secret store, progress events, cancelling), and that every answer fits the contract's
 * output schema (contractCheckedHandlers).
 */
const fixture = (rel: string) => fileURLToPath(new URL(`../../test/fixtures/${rel}`, import.meta.url));
const WS = '11111111-1111-4111-8111-111111111111';
const CLIENT = '22222222-2222-4222-8222-222222222222';
const UPLOAD = '33333333-3333-4333-8333-333333333333';

let accepted: ValidateReport;
let refused: ValidateReport;
beforeAll(async () => {
  accepted = (await validateExport(fixture('meta/ad-daily-row-errors.csv'))).report;
  refused = (await validateExport(fixture('meta/age-gender-breakdown.csv'))).report;
});

function host(script: Partial<AppEngine>, secretStore: 'os' | 'unavailable' | 'file' = 'os') {
  const { engine, calls } = scriptedEngine(script);
  const files = createFileRegistry();
  const events: { event: string; payload: unknown }[] = [];
  const handlers = contractCheckedHandlers(
    createHandlers({
      engine,
      files,
      shell: 'web',
      version: '0.1.0',
      secretStore,
      emit: (event, payload) => events.push({ event, payload }),
      logger: { error() {}, warn() {}, info() {} },
    }),
  );
  const call = (channel: string, input: unknown = {}) => dispatch(handlers, channel, input);
  const add = (name: string) => files.add({ path: fixture(name), name: name.split('/').pop()!, bytes: 1 }).token;
  return { call, add, calls, events };
}

const ok = <T>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
};

const outcome = (over: Partial<Record<string, unknown>> = {}) => ({
  ...accepted,
  uploadId: UPLOAD,
  mode: 'COMMIT' as const,
  status: 'completed' as const,
  plan: null,
  error: null,
  warnings: [],
  ...over,
});

describe('handlers over a scripted engine', () => {
  it('validates a file once: the report, the chart and the errors CSV all use that one validation', async () => {
    const h = host({
      validate: async () => ({ validationId: 'v1', report: accepted }),
      spendByDay: async () => ({ currency: 'USD', days: [] }),
    });
    const token = h.add('meta/ad-daily-row-errors.csv');
    expect((ok(await h.call('files:validate', { token })) as ValidateReport).rows.invalid).toBe(accepted.rows.invalid);
    ok(await h.call('files:spendByDay', { token }));
    const csv = ok(await h.call('files:errorsCsv', { token })) as { fileName: string; issues: number };
    expect(csv.issues).toBe(accepted.issues.length);
    expect(h.calls.map((c) => c.method)).toEqual(['validate', 'spendByDay']);
    expect(h.calls[1]!.args[0]).toBe('v1');
  });

  it('validates again when the person picks the platform by hand, and keeps that result', async () => {
    const h = host({ validate: async () => ({ validationId: 'v2', report: accepted }) });
    const token = h.add('meta/ad-daily-row-errors.csv');
    ok(await h.call('files:validate', { token }));
    ok(await h.call('files:validate', { token, platform: 'meta' }));
    ok(await h.call('files:validate', { token }));
    expect(h.calls.map((c) => c.args[1])).toEqual([
      { fileName: 'ad-daily-row-errors.csv' },
      { platform: 'meta', fileName: 'ad-daily-row-errors.csv' },
    ]);
  });

  it('answers a chart or an upload of a refused file with the refusal, without asking the engine', async () => {
    const h = host({ validate: async () => ({ validationId: 'v3', report: refused }) });
    const token = h.add('meta/age-gender-breakdown.csv');
    const r = await h.call('files:spendByDay', { token });
    expect(r).toMatchObject({ ok: false, error: { code: refused.refused!.code } });
    const up = await h.call('uploads:start', { token, workspaceId: WS, clientId: CLIENT });
    expect(up).toMatchObject({ ok: false, error: { code: refused.refused!.code } });
    expect(h.calls.map((c) => c.method)).toEqual(['validate']);
  });

  it('tells the window how the session is kept', async () => {
    const session = { remembered: null, user: null, online: true };
    const h = host({ session: async () => session }, 'unavailable');
    expect(ok(await h.call('session:get'))).toEqual({ ...session, secretStore: 'unavailable' });
  });

  it('passes upload progress on as events, and cancels a running upload by its id', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let seen: GivenRunHooks | null = null;
    const h = host({
      validate: async () => ({ validationId: 'v4', report: accepted }),
      upload: async (_id, _target, hooks) => {
        seen = hooks;
        hooks.onProgress({ uploadId: UPLOAD, mode: 'COMMIT', stage: 'stage', done: 1, total: 2, rowsPerSecond: null, etaSeconds: null });
        await held;
        return outcome({
          status: hooks.signal.aborted ? null : 'completed',
          error: hooks.signal.aborted ? { code: 'CANCELLED', message: 'Cancelled.' } : null,
        });
      },
    });
    const token = h.add('meta/ad-daily-row-errors.csv');
    const running = h.call('uploads:start', { token, workspaceId: WS, clientId: CLIENT });
    await expect.poll(() => seen).not.toBeNull();
    expect(h.events).toEqual([{ event: 'uploads:progress', payload: expect.objectContaining({ uploadId: UPLOAD, stage: 'stage' }) }]);
    expect(ok(await h.call('uploads:cancel', { uploadId: UPLOAD }))).toEqual({ cancelled: true });
    release();
    expect(ok(await running)).toMatchObject({ error: { code: 'CANCELLED' } });
    expect(ok(await h.call('uploads:cancel', { uploadId: UPLOAD }))).toEqual({ cancelled: false });
  });

  it('an engine answer the contract does not describe fails, naming the channel and the field', async () => {
    const h = host({ workspaces: async () => [{ id: WS, name: 'Northwind', role: 'superuser' as never }] });
    const r = await h.call('workspaces:list');
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL_ERROR', message: expect.stringMatching(/workspaces:list output breaks the contract at 0\.role/) },
    });
  });
});
