// The Electron shell: the only code that imports 'electron'. Lifecycle, the single window, the tray.
import { app as electronApp, BrowserWindow, Notification, session } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../core/app';
import { disposable, disposeAll, type Disposable } from '../core/disposable';
import { fireAndForget } from '../core/fire-and-forget';
import { log } from '../core/log';
import { VERSION } from '../version';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { connectIpc } from './ipc';
import { createKeychainSecretStore } from './secrets';
import { hardenSession } from './session';
import { createTray } from './tray';
import { createMainWindow } from './window';

// dist/main/electron-main.cjs → the app root (dist/.. in development, resources/app.asar packaged).
const appRoot = path.resolve(__dirname, '..', '..');
const distDir = path.join(appRoot, 'dist');
const assetsDir = path.join(appRoot, 'assets');

/** better-sqlite3 rebuilt for Electron by `npm start` (development); packaged apps have it in place. */
function sqliteBinding(): string | undefined {
  const dev = path.join(appRoot, '.electron-native', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return !electronApp.isPackaged && existsSync(dev) ? dev : undefined;
}

// Before `ready`, as Electron requires: the renderer's own scheme (app://mlenv/).
registerAppScheme();

if (!electronApp.requestSingleInstanceLock()) {
  electronApp.quit();
} else {
  let core: App | undefined;
  let win: BrowserWindow | undefined;
  let quitting = false;
  /** Everything the shell creates, disposed on quit (last created first) before the core closes. */
  const parts: Disposable[] = [];

  /** Shows the window, on a page of the app when a route is given (e.g. 'containers/<id>'). */
  const open = (route?: string) => {
    const hash = route ? `#/${route}` : undefined;
    if (!win || win.isDestroyed()) {
      const created = createMainWindow(distDir, hash);
      win = created;
      // Closing the window keeps the app in the tray; Quit in the tray menu ends it.
      const onClose = (e: Electron.Event) => {
        if (!quitting) {
          e.preventDefault();
          created.hide();
        }
      };
      created.on('close', onClose);
      parts.push(disposable(() => void (created.isDestroyed() || created.removeListener('close', onClose))));
    }
    else if (hash) fireAndForget(win.webContents.executeJavaScript(`location.hash = ${JSON.stringify(hash)}`), 'opening a page of the dashboard');
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };

  electronApp.on('second-instance', () => open());
  electronApp.on('before-quit', () => {
    quitting = true;
  });
  electronApp.on('window-all-closed', () => {
    /* stay in the tray */
  });

  fireAndForget(
    electronApp.whenReady().then(async () => {
      // Before any window: no permission the app does not use, and the renderer's files on app://.
      hardenSession(session.defaultSession);
      parts.push(serveAppProtocol(path.join(distDir, 'renderer')));
      try {
        const dataDir = electronApp.getPath('userData');
        // The desktop app owns the data folder (a second owner, e.g. mlenv serve, is refused in words) and answers the CLI on its control socket.
        // modelProxy: the OpenAI-compatible model proxy on 127.0.0.1, listening once Settings enables it (core/tiers/proxy-service.ts).
        core = createApp({ dataDir, version: VERSION, sqliteBinding: sqliteBinding(), secrets: createKeychainSecretStore(dataDir), owner: { transport: 'desktop' }, modelProxy: true });
      } catch (e) {
        log.error('cannot start', { message: (e as Error).message });
        new Notification({ title: 'MLEnv Desktop cannot start', body: (e as Error).message }).show();
        electronApp.exit(1);
        return;
      }
      parts.push(connectIpc(core, () => win));
      parts.push(createTray(core, assetsDir, { open, quit: () => electronApp.quit() }));
      // Told once when the machine turns critical or loses the engine, not at every changed figure.
      let lastLevel = core.getStatus().level;
      const offStatus = core.bus.on('status.changed', (s) => {
        const entered = s.level !== lastLevel && (s.level === 'critical' || s.level === 'unreachable');
        lastLevel = s.level;
        if (entered && Notification.isSupported()) new Notification({ title: `MLEnv Desktop: ${s.level}`, body: s.reasons[0] ?? '' }).show();
      });
      // Container health alerts as native notifications (recoveries included, so the user knows it passed).
      const offAlerts = core.bus.on('alerts.raised', (a) => {
        if (a.level !== 'info' || a.from === 'critical' || a.from === 'warning') {
          if (Notification.isSupported()) new Notification({ title: `MLEnv: ${a.container} is ${a.to}`, body: a.message }).show();
        }
      });
      parts.push(disposable(offStatus), disposable(offAlerts));
      await core.start();
      open();
    }),
    'starting the app',
  );

  // The shell's parts first (no request or bus listener reaches a closing core), then the core; the journal closes with it: logged.
  electronApp.on('will-quit', () => fireAndForget(disposeAll(parts.splice(0)).then(() => core?.dispose()), 'closing the app'));
}
