import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { dispatch, type AnyHandler } from './result.ts';

const handlers = {
  'app:info': (async () => ({ shell: 'web', version: '1' })) as AnyHandler,
  'clients:list': (async (input: { workspaceId: string }) => {
    if (input.workspaceId === '00000000-0000-0000-0000-000000000001')
      throw new AppError('NOT_AUTHORIZED', 'You are not a member of that workspace.');
    throw new Error('disk on fire');
  }) as AnyHandler,
};

describe('dispatch: every answer is the Result envelope', () => {
  it('answers ok with the handler value', async () => {
    expect(await dispatch(handlers, 'app:info', {})).toEqual({ ok: true, value: { shell: 'web', version: '1' } });
  });

  it('refuses unknown channels and known channels without a handler', async () => {
    expect(await dispatch(handlers, 'fs:readFile', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, 'history:list', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('parses the input with the contract before the handler runs, naming the field', async () => {
    const r = await dispatch(handlers, 'clients:list', { workspaceId: 'not-an-id' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('workspaceId') } });
    const extra = await dispatch(handlers, 'app:info', { path: '/etc/passwd' });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('turns an AppError into its code and sentence, and anything else into INTERNAL_ERROR without a stack', async () => {
    expect(await dispatch(handlers, 'clients:list', { workspaceId: '00000000-0000-0000-0000-000000000001' })).toEqual({
      ok: false,
      error: { code: 'NOT_AUTHORIZED', message: 'You are not a member of that workspace.' },
    });
    const r = await dispatch(handlers, 'clients:list', { workspaceId: '00000000-0000-0000-0000-000000000002' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL_ERROR', message: expect.stringContaining('disk on fire') } });
    expect(JSON.stringify(r)).not.toContain('at ');
    expect(r).toMatchObject({ error: { message: expect.stringMatching(/Try again; if it happens again, restart metricdrop\.$/) } });
  });
});
