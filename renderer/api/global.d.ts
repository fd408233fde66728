import type { Api } from '../../shared/ipc-contract.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a plain browser (`npm run web`). */
    readonly metricdrop?: Api;
  }
}
