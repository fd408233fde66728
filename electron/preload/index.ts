// The preload of the metricdrop window (sandboxed: only `electron` can be required).
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPreloadApi } from './api.ts';

contextBridge.exposeInMainWorld('metricdrop', createPreloadApi({ ipcRenderer, webUtils }));
