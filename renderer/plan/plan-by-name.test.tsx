// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { InterruptedUpload } from '../../shared/ipc-contract.ts';
import type { Plan } from '../../shared/report.ts';
import { ResumeBanner } from '../app/ResumeBanner.tsx';
import { PlanTable } from './PlanPanel.tsx';

afterEach(cleanup);

const zero = { create: 0, update: 0, unchanged: 0 };

describe('the plan of a file matched by name', () => {
  it('says which campaigns were found by name, and warns about those that would be new', () => {
    const plan: Plan = {
      source: 'server',
      campaigns: {
        create: 1,
        update: 0,
        unchanged: 2,
        byName: { matched: 2, created: 1, matchedNames: ['Spring | AU', 'Brand'], createdNames: ['Brand 2'] },
      },
      adSets: zero,
      ads: zero,
      facts: { create: 3, update: 0, unchanged: 6 },
    };
    render(<PlanTable plan={plan} committed={false} />);
    const notes = screen.getByTestId('matched-by-name');
    expect(notes.textContent).toContain(
      'Matched by name (the file has no usable IDs for them): 2 campaigns already in the database: “Spring | AU”, “Brand”.',
    );
    expect(notes.textContent).toContain('1 campaign would be created by name, as none of that name was found for this client: “Brand 2”.');
  });

  it('shows no note for a file with IDs', () => {
    render(<PlanTable plan={{ source: 'server', campaigns: zero, adSets: zero, ads: zero, facts: zero }} committed />);
    expect(screen.queryByTestId('matched-by-name')).toBeNull();
  });
});

describe('the resume banner', () => {
  const base: InterruptedUpload = {
    uploadId: '3c9a1f0e-7b2d-4e55-8a10-5d6e7f809a1b',
    fileName: 'meta-sept.csv',
    workspaceId: null,
    clientId: null,
    clientName: 'Acme Outdoor',
    platform: null,
    rows: 0,
    startedAt: '2026-12-02T01:00:00.000Z',
    lastStage: null,
  };

  it('offers an upload that stopped before anything was sent, saying the file is read again', () => {
    render(<ResumeBanner uploads={[{ ...base, notSent: true }]} busy={false} onResume={() => undefined} />);
    const banner = screen.getByRole('region', { name: 'Interrupted uploads' });
    expect(banner.textContent).toMatch(
      /meta-sept\.csv for Acme Outdoor · asked for .* · stopped before anything was sent: resuming reads the file again, if it has not changed since/,
    );
    expect(banner.textContent).not.toMatch(/0 rows/);
    expect(screen.getByRole('button', { name: 'Resume upload' })).toBeTruthy();
  });

  it('still shows rows and the stage for an upload the server knows', () => {
    render(
      <ResumeBanner
        uploads={[{ ...base, rows: 3120, lastStage: 'facts', workspaceId: base.uploadId, clientId: base.uploadId }]}
        busy={false}
        onResume={() => undefined}
      />,
    );
    expect(screen.getByRole('region', { name: 'Interrupted uploads' }).textContent).toMatch(
      /3,120 rows · started .* · stopped during facts/,
    );
  });
});
