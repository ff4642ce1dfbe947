// Runs sandboxed, before the renderer: exposes only the untyped bridge the renderer's typed client
// wraps. No Node, no ipcRenderer, no arbitrary channels reach the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Envelope } from '@shared/errors';
import { IPC_CALL, IPC_EVENT, type Bridge } from '@shared/wire';

const bridge: Bridge = {
  call: (name: string, input: unknown) => ipcRenderer.invoke(IPC_CALL, name, input) as Promise<Envelope<unknown>>,
  subscribe(handler) {
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => handler(name, payload);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => ipcRenderer.off(IPC_EVENT, listener);
  },
};

contextBridge.exposeInMainWorld('mlenv', bridge);
