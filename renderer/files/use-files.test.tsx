// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Api, UploadOutcome } from '../../shared/ipc-contract.ts';
import { fakeApi } from '../../test/support/fake-api.ts';
import { testReport, testUploadOutcome } from '../../test/support/reports.ts';
import { ApiContext } from '../api/api-context.tsx';
import { useFiles } from './use-files.ts';

// What the window asks of the engine for a file the person dry-runs, then uploads: it names the dry
// run it showed, and the engine (not the window) decides whether those staged rows can be committed.
const TOKEN = 'ab'.repeat(16);
const TARGET = { workspaceId: '11111111-1111-4111-8111-111111111111', clientId: '22222222-2222-4222-8222-222222222222' };
const DRY_RUN = '33333333-3333-4333-8333-333333333333';

afterEach(cleanup);

function filesOver(dryRun: UploadOutcome | { ok: false }) {
  const started: Parameters<Api['uploads']['start']>[0][] = [];
  const api = fakeApi({
    files: {
      addDropped: async () => ({ ok: true, value: [{ token: TOKEN, name: 'meta-september.csv', bytes: 10 }] }),
      validate: async () => ({ ok: true, value: testReport() }),
    },
    uploads: {
      onProgress: () => () => undefined,
      dryRun: async () =>
        'ok' in dryRun
          ? { ok: false, error: { code: 'NETWORK_ERROR', message: 'The project could not be reached.' } }
          : { ok: true, value: dryRun },
      start: async (input) => {
        started.push(input);
        return { ok: true, value: testUploadOutcome('44444444-4444-4444-8444-444444444444') };
      },
    },
  });
  const wrapper = ({ children }: { children: ReactNode }) => <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
  const { result } = renderHook(() => useFiles(), { wrapper });
  return { result, started };
}

async function dryRunThenUpload(model: ReturnType<typeof filesOver>['result']) {
  await act(async () => void (await model.current.addFiles([{ name: 'meta-september.csv', size: 10 }])));
  await act(() => model.current.dryRun(TOKEN, TARGET));
  await act(() => model.current.upload(TOKEN, TARGET));
}

describe('uploading a file after its dry run', () => {
  it('names the server dry run it showed, whatever that dry run found', async () => {
    const staged = { ...testUploadOutcome(DRY_RUN), mode: 'FULL_DRY_RUN' as const, status: 'staged' as const };
    // A dry run the server ended with a refusal: whether it can be committed is the engine's to say.
    const refused = {
      ...staged,
      status: 'failed' as const,
      error: { code: 'CONFLICTING_DIMENSION' as const, message: 'Two ads share a name.' },
    };
    for (const dry of [staged, refused]) {
      const { result, started } = filesOver(dry);
      await dryRunThenUpload(result);
      expect(started).toEqual([{ token: TOKEN, ...TARGET, dryRunId: DRY_RUN }]);
      expect(result.current.state.byToken[TOKEN]?.upload).toMatchObject({ status: 'done' });
      cleanup();
    }
  });

  it('names none when the dry run was planned on this computer (offline) or could not run', async () => {
    const local = { ...testUploadOutcome(DRY_RUN), uploadId: null, mode: 'FULL_DRY_RUN' as const };
    for (const dry of [local, { ok: false } as const]) {
      const { result, started } = filesOver(dry);
      await dryRunThenUpload(result);
      expect(started).toEqual([{ token: TOKEN, ...TARGET }]);
      cleanup();
    }
  });
});
