import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { AppError } from '@shared/errors';
import { IPC_CALL, IPC_EVENT } from '@shared/wire';
import type { App } from '../core/app';

/** Electron IPC adapter: requests from our own window only, to the same router serve mode uses. */
export function connectIpc(app: App, getWindow: () => BrowserWindow | undefined): () => void {
  const fromOurWindow = (e: IpcMainInvokeEvent) => {
    const win = getWindow();
    return !!win && e.sender.id === win.webContents.id && !!e.senderFrame?.url.startsWith('file://');
  };
  ipcMain.handle(IPC_CALL, (e, name: unknown, input: unknown) => {
    if (!fromOurWindow(e)) return { ok: false, error: new AppError('INVALID_INPUT', 'request from an unknown sender').toBody() };
    return app.router.dispatch(name, input);
  });
  const unsubscribe = app.bus.onAny((name, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
  };
}
