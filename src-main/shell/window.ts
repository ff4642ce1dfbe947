import { BrowserWindow, shell, type WebContents } from 'electron';
import path from 'node:path';
import { fireAndForget } from '../core/fire-and-forget';
import { appPageUrl, isExternalLink, navigationAction } from './app-origin';
import { WEB_PREFERENCES } from './web-preferences';

/** The dashboard window: sandboxed, isolated, no Node, no navigation away from the app (served from app://mlenv/). */
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
  fireAndForget(win.loadURL(appPageUrl(hash)), 'loading the dashboard page');
  return win;
}

/** External links go to the OS browser; the app's window stays on app:// pages and opens no windows. */
export function hardenContents(contents: WebContents): void {
  const openExternal = (url: string) => fireAndForget(shell.openExternal(url), 'opening a link in the browser');
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLink(url)) openExternal(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    const action = navigationAction(url);
    if (action === 'allow') return;
    event.preventDefault();
    if (action === 'external') openExternal(url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
