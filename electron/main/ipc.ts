import type { AnyChannel, IpcError, Result } from '../../shared/ipc-contract.ts';
import { channels, shellChannels } from '../../shared/ipc-contract.ts';
import type { HandlerMap } from '../host/handlers.ts';
import { dispatch, type AnyHandler, type Logger } from '../host/result.ts';
import type { ShellHandlerMap } from './shell-handlers.ts';
import { isTrustedSender, type IpcSender } from './security.ts';

/** The part of Electron's `ipcMain` used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSender, input: unknown) => Promise<Result<unknown>>): void;
  removeHandler(channel: string): void;
}

const FORBIDDEN: IpcError = { code: 'NOT_AUTHORIZED', message: 'This request did not come from the metricdrop window.' };

/**
 * Registers every channel of the contract (and the shell's own) with `ipcMain.handle`. Each call
 * is refused unless it comes from the top frame of our bundle; its input is parsed by the contract
 * before the handler runs; the answer is always the Result envelope. Returns an unregister function.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  handlers: HandlerMap & ShellHandlerMap,
  logger: Logger,
  trusted: (event: IpcSender) => boolean = isTrustedSender,
): () => void {
  const all = [...channels, ...shellChannels] as AnyChannel[];
  const map = handlers as unknown as Record<AnyChannel, AnyHandler>;
  for (const channel of all) {
    ipcMain.handle(channel, async (event, input) => {
      if (!trusted(event)) {
        logger.warn('IPC refused: untrusted sender', { channel, url: event.senderFrame?.url ?? null });
        return { ok: false, error: FORBIDDEN };
      }
      return dispatch(map, channel, input, logger);
    });
  }
  return () => {
    for (const channel of all) ipcMain.removeHandler(channel);
  };
}
