// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client, UploadOutcome } from '../../shared/ipc-contract.ts';
import type { Plan } from '../../shared/report.ts';
import { fakeApi } from '../../test/support/fake-api.ts';
import { testReport, testUploadOutcome } from '../../test/support/reports.ts';
import { ApiContext } from '../api/api-context.tsx';
import { FileDetail, type Target } from './FileDetail.tsx';
import type { FileEntry } from './files-state.ts';

// One file's detail over a fake API: what the person may do next, and why not, for each state of
// the file, the client chosen and the connection.
const TOKEN = 'cd'.repeat(16);
const CLIENT: Client = { id: '22222222-2222-4222-8222-222222222222', name: 'Bluebird Coffee', currency: 'EUR' };
const ONLINE: Target = { workspaceId: '11111111-1111-4111-8111-111111111111', client: CLIENT, signedIn: true, online: true };
const rows = { total: 1_250, valid: 1_240, invalid: 0, skipped: 10 };
const plan: Plan = {
  source: 'server',
  campaigns: { create: 1, update: 0, unchanged: 2 },
  adSets: { create: 3, update: 1, unchanged: 0 },
  ads: { create: 12, update: 0, unchanged: 0 },
  facts: { create: 1_240, update: 0, unchanged: 0 },
};
const UPLOAD = '44444444-4444-4444-8444-444444444444';
const dryRun: UploadOutcome = {
  ...testUploadOutcome('33333333-3333-4333-8333-333333333333', { rows }),
  mode: 'FULL_DRY_RUN',
  status: 'staged',
  plan,
};

function entry(over: Partial<FileEntry> = {}): FileEntry {
  return {
    ref: { token: TOKEN, name: 'meta-september.csv', bytes: 2_048 },
    validation: { status: 'done', value: testReport({ rows }) },
    dryRun: { status: 'idle' },
    upload: { status: 'idle' },
    ...over,
  };
}

function show(e: FileEntry, target: Target = ONLINE) {
  const asked: string[] = [];
  const api = fakeApi({
    files: {
      campaigns: async () => ({
        ok: true,
        value: [{ externalId: '120215553311', name: 'Autumn launch', rows: 1_240, spend: '12.50', adSets: 4, ads: 12 }],
      }),
      spendByDay: async () => ({ ok: true, value: { currency: 'EUR', days: [{ date: '2025-09-01', spend: '12.50', rows: 40 }] } }),
    },
  });
  render(
    <ApiContext.Provider value={api}>
      <FileDetail
        entry={e}
        active={null}
        target={target}
        onDryRun={() => asked.push('dry run')}
        onUpload={() => asked.push('upload')}
        onCancel={() => asked.push('cancel')}
        onMap={() => asked.push('map')}
      />
    </ApiContext.Provider>,
  );
  return asked;
}

const button = (name: RegExp) => screen.getByRole('button', { name }) as HTMLButtonElement;
const openTab = (name: string) => fireEvent.click(screen.getByRole('tab', { name }));

afterEach(cleanup);

describe('a file’s detail', () => {
  it('asks for a client before a dry run, and runs one for the client chosen', async () => {
    show(entry(), { ...ONLINE, client: null });
    openTab('Dry run');
    expect(button(/^Dry run$/).disabled).toBe(true);
    expect(screen.getByText('Choose a client at the top first.')).toBeTruthy();
    cleanup();
    const asked = show(entry());
    openTab('Dry run');
    fireEvent.click(button(/^Dry run for Bluebird Coffee$/));
    expect(asked).toEqual(['dry run']);
    expect(await screen.findByText('Spend per day')).toBeTruthy();
  });

  it('warns before the dry run when the file’s currency is not the client’s', () => {
    show(entry(), { ...ONLINE, client: { ...CLIENT, currency: 'USD' } });
    openTab('Dry run');
    expect(screen.getByText(/This file is in EUR, but Bluebird Coffee reports in USD/).textContent).toContain('CURRENCY_MISMATCH');
  });

  it('after the dry run shows its plan and offers to upload the valid rows, which opens the upload tab', () => {
    const asked = show(entry({ dryRun: { status: 'done', value: dryRun } }));
    openTab('Dry run');
    expect(screen.getByTestId('dry-run-plan')).toBeTruthy();
    fireEvent.click(button(/^Upload 1,240 rows to Bluebird Coffee$/));
    expect(asked).toEqual(['upload']);
    expect(screen.getByRole('tab', { name: 'Upload' }).getAttribute('aria-selected')).toBe('true');
  });

  it('offline, holds the upload back until the project can be reached, saying so', () => {
    show(entry({ dryRun: { status: 'done', value: dryRun } }), { ...ONLINE, online: false });
    openTab('Upload');
    expect(screen.getByText('Offline: the upload waits until the project can be reached again.')).toBeTruthy();
    expect(button(/^Upload to Bluebird Coffee$/).disabled).toBe(true);
  });

  it('shows an upload that completed with its rows, and one the server refused with its code', () => {
    const completed = { ...testUploadOutcome(UPLOAD, { rows }), plan };
    show(entry({ dryRun: { status: 'done', value: dryRun }, upload: { status: 'done', value: completed } }));
    expect(screen.getByTestId('upload-done').textContent).toBe('Upload completed: 1,240 rows are in the database.');
    expect(screen.getByTestId('upload-plan')).toBeTruthy();
    cleanup();
    const refused: UploadOutcome = {
      ...testUploadOutcome(UPLOAD, { rows }),
      status: 'failed',
      error: { code: 'CURRENCY_MISMATCH', message: 'The file is in EUR; the client reports in USD.' },
    };
    show(entry({ upload: { status: 'done', value: refused } }));
    expect(screen.getByRole('alert').textContent).toContain('CURRENCY_MISMATCH');
    expect(screen.queryByTestId('upload-done')).toBeNull();
  });
});
