import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import * as z from 'zod';
import type { Api } from '../shared/ipc-contract.ts';
import { ApiContext } from './api/api-context.tsx';
import { createWebApi, takeBridgeSecret } from './api/web-client.ts';
import { App } from './app/App.tsx';
import { MissingLink } from './app/MissingLink.tsx';
import './styles.css';

// zod compiles fast paths with `new Function`; the CSP forbids eval, so never try.
z.config({ jitless: true });

function chooseApi(): Api | null {
  if (window.metricdrop) return window.metricdrop; // Electron: the preload's API
  const secret = takeBridgeSecret(window.location, window.sessionStorage, window.history);
  return secret === null ? null : createWebApi(secret);
}

const api = chooseApi();
const root = createRoot(document.getElementById('root')!);
root.render(
  <StrictMode>
    {api ? (
      <ApiContext.Provider value={api}>
        <App />
      </ApiContext.Provider>
    ) : (
      <MissingLink />
    )}
  </StrictMode>,
);
