import { AppError } from '../../../shared/errors.ts';
import type { UploadContext } from './context.ts';
import { PreflightAnswer } from './protocol.ts';
import { callRpc } from './rpc.ts';
import type { SignIn } from './sign-in.ts';

/** The project's readiness checklist, parsed: an answer of another shape is a SERVER_ERROR naming the field. */
export async function preflight(ctx: UploadContext, signIn: SignIn): Promise<PreflightAnswer> {
  const session = await signIn.requireSession();
  const answer = PreflightAnswer.safeParse(await callRpc(ctx.rpcDeps(session.sb), 'preflight', {}));
  if (answer.success) return answer.data;
  const first = answer.error.issues[0];
  throw new AppError(
    'SERVER_ERROR',
    `The project's preflight() answered in a shape this version of metricdrop does not know (${first?.path.join('.') || 'the answer'}: ${first?.message ?? 'unexpected'}). Apply the latest migrations.`,
  );
}
