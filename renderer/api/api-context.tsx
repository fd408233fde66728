import { createContext, useContext } from 'react';
import type { Api, Result } from '../../shared/ipc-contract.ts';

export const ApiContext = createContext<Api | null>(null);

export function useApi(): Api {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside <ApiContext.Provider>');
  return api;
}

/** A failed call as the sentence the window shows: the code, then what to do. */
export function describeError(r: Extract<Result<unknown>, { ok: false }>): string {
  return `${r.error.code}: ${r.error.message}`;
}
