import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { endWithAppError } from './app-error.ts';
import type { CommandContext } from './command.ts';

function context() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const ctx: CommandContext = {
    io: { stdout, stderr, stdin: new PassThrough(), env: {} },
    home: '/nowhere',
    engine: () => {
      throw new Error('not needed');
    },
    validation: () => {
      throw new Error('not needed');
    },
  };
  const read = (s: PassThrough) => String(s.read() ?? '');
  return { ctx, out: () => read(stdout), err: () => read(stderr) };
}

describe('a command ending on an AppError', () => {
  it('refusals exit 2, trouble that can be retried or resumed exits 1, as for upload', async () => {
    for (const [code, exit] of [
      ['NOT_AUTHORIZED', 2],
      ['RATE_LIMITED', 2],
      ['NETWORK_ERROR', 1],
      ['SERVER_ERROR', 1],
      ['CANCELLED', 1],
    ] as const) {
      const { ctx, err } = context();
      expect(await endWithAppError(ctx, new AppError(code, 'Something a person can act on.'), false), code).toBe(exit);
      expect(err()).toBe(`metricdrop: ${code}: Something a person can act on.\n`);
    }
  });

  it("with --json prints one document with the error beside the command's own fields", async () => {
    const { ctx, out } = context();
    await endWithAppError(ctx, new AppError('NOT_SIGNED_IN', 'Sign in first: run "metricdrop login".'), true, { resumed: [] });
    expect(JSON.parse(out())).toEqual({ resumed: [], error: { code: 'NOT_SIGNED_IN', message: 'Sign in first: run "metricdrop login".' } });
  });

  it('lets anything but an AppError through (a programming error is not a refusal)', async () => {
    const { ctx } = context();
    await expect(endWithAppError(ctx, new TypeError('boom'), false)).rejects.toThrow('boom');
  });
});
