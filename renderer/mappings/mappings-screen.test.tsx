// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcError } from '../../shared/ipc-contract.ts';
import type { SavedMapping } from '../../shared/mapping.ts';
import { fakeApi } from '../../test/support/fake-api.ts';
import { ApiContext } from '../api/api-context.tsx';
import { MappingsScreen } from './MappingsScreen.tsx';

// The saved column mappings over a fake API that keeps them as the engine would: what the person
// changes or forgets is what the engine is asked, and the list shows the engine's answer after.
const saved: SavedMapping = {
  id: 'm-1',
  platform: 'meta',
  signature: 'sig-1',
  headers: ['Tag', 'Kampagne', 'Ausgaben (EUR)', 'Impr.', ''],
  fields: { date: 'Tag', campaign_name: 'Kampagne', spend: 'Ausgaben (EUR)' },
  confirmedAt: '2026-11-02T10:00:00.000Z',
  lastUsedAt: null,
};

function show(opts: { refuseChange?: IpcError } = {}) {
  let kept: SavedMapping[] = [saved];
  const changes: { id: string; fields: SavedMapping['fields'] }[] = [];
  const api = fakeApi({
    mappings: {
      list: async () => ({ ok: true, value: kept }),
      change: async ({ id, fields }) => {
        changes.push({ id, fields });
        if (opts.refuseChange) return { ok: false, error: opts.refuseChange };
        const changed = { ...saved, fields };
        kept = [changed];
        return { ok: true, value: changed };
      },
      forget: async ({ id }) => {
        kept = kept.filter((m) => m.id !== id);
        return { ok: true, value: { forgotten: true } };
      },
    },
  });
  render(
    <ApiContext.Provider value={api}>
      <MappingsScreen />
    </ApiContext.Provider>,
  );
  return changes;
}

afterEach(cleanup);

describe('the saved column mappings', () => {
  it('shows each mapping with its fields and the columns it was confirmed for', async () => {
    show();
    const card = await screen.findByTestId('saved-mapping');
    expect(within(card).getByText('Kampagne')).toBeTruthy();
    expect(within(card).getByText('Columns: Tag, Kampagne, Ausgaben (EUR), Impr.')).toBeTruthy();
  });

  it('changes a mapping: the field the person picks is sent, and the list shows it after', async () => {
    const changes = show();
    fireEvent.click(await screen.findByRole('button', { name: 'Change' }));
    const form = screen.getByRole('form', { name: 'Change the mapping' });
    fireEvent.change(within(form).getByLabelText('Impressions'), { target: { value: 'Impr.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save the mapping' }));
    const card = await screen.findByTestId('saved-mapping');
    expect(await within(card).findByText('Impr.')).toBeTruthy();
    expect(changes).toEqual([{ id: 'm-1', fields: { ...saved.fields, impressions: 'Impr.' } }]);
  });

  it('keeps the form open with the refusal when the engine refuses the change', async () => {
    show({ refuseChange: { code: 'INVALID_INPUT', message: 'Spend is mapped to a column the file does not have.' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Change' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save the mapping' }));
    expect((await screen.findByRole('alert')).textContent).toContain('INVALID_INPUT');
    expect(screen.getByRole('form', { name: 'Change the mapping' })).toBeTruthy();
  });

  it('forgets a mapping: it leaves the list', async () => {
    show();
    fireEvent.click(await screen.findByRole('button', { name: 'Forget' }));
    expect(await screen.findByTestId('no-mappings')).toBeTruthy();
  });
});
