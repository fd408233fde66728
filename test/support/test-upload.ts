import type { NewUpload } from '../../electron/engine/store/uploads.ts';

/** An upload as the upload engine records it before `begin_upload`, for the migration tests. */
export function testUpload(overrides: Partial<NewUpload> = {}): NewUpload {
  return {
    id: '6f0c1d7e-3b7a-4f0e-9a55-0b8e0d1c2a11',
    validationId: 'v1',
    workspaceId: 'w1',
    clientId: 'c1',
    clientName: 'Acme Outdoor',
    platform: 'meta',
    mode: 'COMMIT',
    fileName: 'meta-sept.csv',
    sha256: 'a'.repeat(64),
    rowCount: 3120,
    level: 'ad',
    currency: 'USD',
    userId: '11111111-1111-1111-1111-111111111111',
    userEmail: 'maya@example.test',
    serverUrl: 'http://127.0.0.1:54321',
    stageBatchRows: 2500,
    ...overrides,
  };
}
