import { createCommits } from './commit.ts';
import { createUploadContext, type UploadServiceDeps } from './context.ts';
import { createDryRuns } from './dry-run.ts';
import { preflight } from './preflight.ts';
import { createResume } from './resume.ts';
import { createServerRuns } from './server-run.ts';
import { createSignIn } from './sign-in.ts';

export type { UploadServiceDeps, ValidationSource } from './context.ts';

/**
 * `engine.uploads`: sign-in, dry runs, uploads, resume and the preflight, one entry
 * point per operation for the command line, the window and tests (docs/architecture.md, "Engine
 * API (uploads)"). Each part lives in its own module; this only puts them together. Built with its
 * dependencies; holds no global state.
 */
export function createUploadService(deps: UploadServiceDeps) {
  const ctx = createUploadContext(deps);
  const signIn = createSignIn(ctx);
  const runs = createServerRuns(ctx);
  const dryRuns = createDryRuns(ctx, signIn, runs);
  const commits = createCommits(ctx, signIn, runs, dryRuns);
  const { resume, awaitingResume } = createResume(ctx, signIn, runs, commits);

  return {
    signIn: signIn.signIn,
    signOut: signIn.signOut,
    whoami: signIn.whoami,
    whoamiOffline: signIn.whoamiOffline,
    connection: signIn.connection,

    dryRun: dryRuns.dryRun,
    dryRunFile: dryRuns.dryRunFile,
    discardDryRun: dryRuns.discardDryRun,
    commitDryRun: dryRuns.commitDryRun,

    upload: commits.upload,
    uploadFile: commits.uploadFile,
    resume,
    /** What `resume` would continue, oldest first, as the window's resume banner lists it. */
    awaitingResume,

    preflight: () => preflight(ctx, signIn),
  };
}

export type UploadService = ReturnType<typeof createUploadService>;
