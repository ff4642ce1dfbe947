import { BrowserWindow, shell, type WebContents } from 'electron';
import path from 'node:path';
import { fireAndForget } from '../core/fire-and-forget';
import { WEB_PREFERENCES } from './web-preferences';

/** The dashboard window: sandboxed, isolated, no Node, no navigation away from the app. */
export function createMainWindow(distDir: string, hash?: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'MLEnv Desktop',
    backgroundColor: '#0f1115',
    webPreferences: { ...WEB_PREFERENCES, preload: path.join(distDir, 'main', 'preload.cjs') },
  });
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  fireAndForget(win.loadFile(path.join(distDir, 'renderer', 'index.html'), hash ? { hash } : undefined), 'loading the dashboard page');
  return win;
}

/** External links go to the OS browser; the app's own page never navigates or opens windows. */
export function hardenContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) fireAndForget(shell.openExternal(url), 'opening a link in the browser');
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) {
      event.preventDefault();
      if (/^https?:\/\//.test(url)) fireAndForget(shell.openExternal(url), 'opening a link in the browser');
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
