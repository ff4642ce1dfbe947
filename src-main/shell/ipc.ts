import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { AppError } from '@shared/errors';
import { IPC_CALL, IPC_EVENT } from '@shared/wire';
import type { App } from '../core/app';
import type { Disposable } from '../core/disposable';
import { connectionContext } from '../connection';
import { isTrustedSender } from './app-origin';

/** Electron IPC adapter: requests from our own window only, to the same router serve mode uses. */
export function connectIpc(app: App, getWindow: () => BrowserWindow | undefined): Disposable {
  // Our window's top frame on an app:// page only (app-origin.ts holds the rule).
  const fromOurWindow = (e: IpcMainInvokeEvent) => {
    const win = getWindow();
    const frame = e.senderFrame;
    const windowContentsId = win && !win.isDestroyed() ? win.webContents.id : undefined;
    return isTrustedSender({ contentsId: e.sender.id, frameUrl: frame?.url, isMainFrame: !!frame && frame.parent === null }, windowContentsId);
  };

  // One connection per loaded page: it hears the events it subscribed to and the lines of its own
  // log follows; what it opened ends when it reloads or closes.
  const pages = new Map<number, ReturnType<typeof connectionContext>>();
  const pageContext = (contents: WebContents) => {
    let ctx = pages.get(contents.id);
    if (!ctx) {
      const id = contents.id;
      ctx = connectionContext(app.bus, (name, payload) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT, name, payload);
      });
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
  return {
    /** Removes the handler and ends every page's connection (its subscriptions and log follows). */
    dispose() {
      ipcMain.removeHandler(IPC_CALL);
      for (const ctx of pages.values()) ctx.close();
      pages.clear();
    },
  };
}
