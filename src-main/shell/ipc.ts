import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { AppError } from '@shared/errors';
import { IPC_CALL, IPC_EVENT } from '@shared/wire';
import type { App } from '../core/app';
import { connectionContext } from '../router';

/** Electron IPC adapter: requests from our own window only, to the same router serve mode uses. */
export function connectIpc(app: App, getWindow: () => BrowserWindow | undefined): () => void {
  const fromOurWindow = (e: IpcMainInvokeEvent) => {
    const win = getWindow();
    return !!win && e.sender.id === win.webContents.id && !!e.senderFrame?.url.startsWith('file://');
  };

  // One connection per loaded page: what a page opened (log follows) ends when it reloads or closes.
  const pages = new Map<number, ReturnType<typeof connectionContext>>();
  const pageContext = (contents: WebContents) => {
    let ctx = pages.get(contents.id);
    if (!ctx) {
      const id = contents.id;
      ctx = connectionContext();
      pages.set(id, ctx);
      const end = () => {
        pages.get(id)?.close();
        pages.delete(id);
      };
      contents.once('did-navigate', end);
      contents.once('destroyed', end);
    }
    return ctx;
  };

  ipcMain.handle(IPC_CALL, (e, name: unknown, input: unknown) => {
    if (!fromOurWindow(e)) return { ok: false, error: new AppError('INVALID_INPUT', 'request from an unknown sender').toBody() };
    return app.router.dispatch(name, input, pageContext(e.sender));
  });
  const unsubscribe = app.bus.onAny((name, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload);
  });
  return () => {
    ipcMain.removeHandler(IPC_CALL);
    unsubscribe();
    for (const ctx of pages.values()) ctx.close();
    pages.clear();
  };
}
