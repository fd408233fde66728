// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InterruptedUpload, SessionInfo } from '../../shared/ipc-contract.ts';
import { fakeApi } from '../../test/support/fake-api.ts';
import { testUploadOutcome } from '../../test/support/reports.ts';
import { ApiContext } from '../api/api-context.tsx';
import { App } from './App.tsx';

// The window over a fake API: an interrupted upload resumed from the banner.
const signedOut: SessionInfo = { remembered: null, user: null, online: true, secretStore: 'os' };
const UPLOAD = '00000000-0000-4000-8000-000000000007';
const interrupted: InterruptedUpload = {
  uploadId: UPLOAD,
  fileName: 'meta-august.csv',
  workspaceId: null,
  clientId: null,
  clientName: 'Acme Outdoor',
  platform: 'meta',
  rows: 30,
  startedAt: '2026-12-02T09:00:00.000Z',
  lastStage: 'facts',
};
const completed = testUploadOutcome(UPLOAD, {
  file: 'meta-august.csv',
  rows: { total: 30, valid: 30, invalid: 0, skipped: 0 },
  dateRange: { from: '2025-08-01', to: '2025-08-30' },
});

afterEach(() => cleanup());

describe('the interrupted uploads banner', () => {
  it('is gone when the message that the upload resumed and completed shows, even when the list comes back late', async () => {
    let asked = 0;
    const api = fakeApi({
      session: { get: async () => ({ ok: true, value: signedOut }) },
      uploads: {
        onProgress: () => () => undefined,
        // The list after the resume answers a little after the resume itself.
        interrupted: async () =>
          ++asked === 1 ? { ok: true, value: [interrupted] } : new Promise((r) => setTimeout(() => r({ ok: true, value: [] }), 50)),
        resume: async () => ({ ok: true, value: completed }),
      },
    });
    render(
      <ApiContext.Provider value={api}>
        <App />
      </ApiContext.Provider>,
    );
    const banner = await screen.findByRole('region', { name: 'Interrupted uploads' });
    expect(banner.textContent).toContain('meta-august.csv for Acme Outdoor · 30 rows');
    fireEvent.click(screen.getByRole('button', { name: 'Resume upload' }));
    const resumed = await screen.findByTestId('resumed');
    expect(resumed.textContent).toContain('Upload of meta-august.csv resumed and completed: 30 daily rows.');
    expect(screen.queryByRole('region', { name: 'Interrupted uploads' })).toBeNull();
    expect(asked).toBe(2);
  });
});
