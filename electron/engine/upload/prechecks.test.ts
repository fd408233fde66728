import { describe, expect, it } from 'vitest';
import type { ValidateReport } from '../../../shared/report.ts';
import type { KnownClient } from '../store/known-clients.ts';
import { precheck } from './prechecks.ts';

const report = { refused: null, currency: 'USD', rows: { total: 3, valid: 3, invalid: 0, skipped: 0 } } as unknown as ValidateReport;
const target = (role: Pick<KnownClient, 'role' | 'unknownRole'>): KnownClient => ({
  workspaceId: 'w1',
  workspaceName: 'Northwind Agency',
  clientId: 'c1',
  clientName: 'Acme Shoes',
  currency: 'USD',
  ...role,
});

describe('precheck, before anything is sent', () => {
  it('lets a member upload, and a viewer only plan', () => {
    expect(precheck(report, target({ role: 'member' }), 'COMMIT')).toBeNull();
    expect(precheck(report, target({ role: 'viewer' }), 'FULL_DRY_RUN')).toBeNull();
    expect(precheck(report, target({ role: 'viewer' }), 'COMMIT')).toEqual({
      code: 'NOT_AUTHORIZED',
      message: 'You are a viewer in Northwind Agency; ask an owner or admin to make you a member to upload.',
    });
  });

  it('says which role it does not know, instead of calling the user a viewer', () => {
    const refusal = precheck(report, target({ role: 'viewer', unknownRole: 'billing' }), 'COMMIT');
    expect(refusal?.code).toBe('NOT_AUTHORIZED');
    expect(refusal?.message).toContain('Your role in Northwind Agency is "billing", which this version of metricdrop does not know');
    expect(refusal?.message).toContain('Update metricdrop');
    expect(refusal?.message).not.toContain('You are a viewer');
  });
});
