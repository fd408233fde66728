// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Client, HistoryDetail, HistoryEntry, HistoryQuery, IpcError, Result } from '../../shared/ipc-contract.ts';
import { fakeApi } from '../../test/support/fake-api.ts';
import { ApiContext } from '../api/api-context.tsx';
import { HistoryScreen } from './HistoryScreen.tsx';

// The history screen over a fake API: the filters the person sets are the query the engine gets,
// and what it answers (entries, nothing, a refusal, one entry's stages) is what the person sees.
const CLIENT: Client = { id: '22222222-2222-4222-8222-222222222222', name: 'Bluebird Coffee', currency: 'EUR' };
const UPLOAD = '33333333-3333-4333-8333-333333333333';

const failedUpload: HistoryEntry = {
  id: UPLOAD,
  kind: 'upload',
  fileName: 'meta-september.csv',
  platform: 'meta',
  level: 'ad',
  clientId: CLIENT.id,
  clientName: CLIENT.name,
  status: 'failed',
  rows: 12_400,
  createdAt: '2026-11-30T09:00:00.000Z',
  finishedAt: '2026-11-30T09:01:00.000Z',
  error: { code: 'NETWORK_ERROR', message: 'The project could not be reached.' },
};
const validation: HistoryEntry = {
  ...failedUpload,
  id: 'v-1',
  kind: 'validate',
  clientId: null,
  clientName: null,
  status: 'validated',
  error: null,
};

function show(list: (q: HistoryQuery) => Result<HistoryEntry[]>, get?: (id: string) => Result<HistoryDetail>) {
  const asked: HistoryQuery[] = [];
  const api = fakeApi({
    history: {
      list: async (q) => {
        asked.push(q);
        return list(q);
      },
      ...(get ? { get: async ({ id }: { id: string }) => get(id) } : {}),
    },
  });
  render(
    <ApiContext.Provider value={api}>
      <HistoryScreen clients={[CLIENT]} />
    </ApiContext.Provider>,
  );
  return asked;
}

afterEach(cleanup);

describe('the history screen', () => {
  it('lists what the engine answers: each entry with its client, rows and status, and a failure with its code', async () => {
    show(() => ({ ok: true, value: [failedUpload, validation] }));
    const rows = await screen.findAllByTestId('history-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText('Bluebird Coffee')).toBeTruthy();
    expect(within(rows[0]!).getByText('NETWORK_ERROR')).toBeTruthy();
    expect(rows[0]!.textContent).toContain('12,400');
    expect(within(rows[1]!).getByText('validate')).toBeTruthy();
  });

  it('asks the engine for exactly the filters set, and drops one the person clears', async () => {
    const asked = show(() => ({ ok: true, value: [] }));
    await screen.findByText('Nothing matches these filters yet.');
    fireEvent.change(screen.getByLabelText('Client'), { target: { value: CLIENT.id } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: '' } });
    await screen.findByText('Nothing matches these filters yet.');
    expect(asked).toEqual([
      { limit: 500 },
      { limit: 500, clientId: CLIENT.id },
      { limit: 500, clientId: CLIENT.id, status: 'failed' },
      { limit: 500, clientId: CLIENT.id, status: 'failed', from: '2026-11-01' },
      { limit: 500, clientId: CLIENT.id, from: '2026-11-01' },
    ]);
  });

  it('shows the refusal when the history cannot be read', async () => {
    const error: IpcError = { code: 'ENGINE_UNAVAILABLE', message: 'The engine could not be started.' };
    show(() => ({ ok: false, error }));
    expect((await screen.findByRole('alert')).textContent).toContain('ENGINE_UNAVAILABLE');
  });

  it('opens an entry with its stages, and says so when the entry is gone', async () => {
    const detail: HistoryDetail = {
      ...failedUpload,
      uploadId: UPLOAD,
      mode: 'COMMIT',
      plan: null,
      issues: 0,
      mapping: null,
      stages: [
        { stage: 'stage:1', startedAt: '2026-11-30T09:00:01.000Z', finishedAt: '2026-11-30T09:00:02.000Z', counts: null, error: null },
      ],
    };
    show(
      () => ({ ok: true, value: [failedUpload, validation] }),
      (id) => (id === UPLOAD ? { ok: true, value: detail } : { ok: false, error: { code: 'UPLOAD_NOT_FOUND', message: 'No such entry.' } }),
    );
    const [upload, validated] = await screen.findAllByTestId('history-row');
    fireEvent.click(upload!);
    const shown = await screen.findByTestId('history-detail');
    expect(within(shown).getByText(UPLOAD)).toBeTruthy();
    expect(within(shown).getByRole('alert').textContent).toContain('NETWORK_ERROR');
    fireEvent.click(validated!);
    const details = screen.getByRole('complementary', { name: 'Entry details' });
    expect(await within(details).findByText('UPLOAD_NOT_FOUND')).toBeTruthy();
    expect(within(details).queryByTestId('history-detail')).toBeNull();
  });
});
