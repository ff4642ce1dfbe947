// The Electron shell: the only code that imports 'electron'. Lifecycle, the single window, the tray.
import { app as electronApp, BrowserWindow, Notification, session } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createApp, type App } from '../core/app';
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

  /** Shows the window, on a page of the app when a route is given (e.g. 'containers/<id>'). */
  const open = (route?: string) => {
    const hash = route ? `#/${route}` : undefined;
    if (!win || win.isDestroyed()) {
      win = createMainWindow(distDir, hash);
      // Closing the window keeps the app in the tray; Quit in the tray menu ends it.
      win.on('close', (e) => {
        if (!quitting) {
          e.preventDefault();
          win?.hide();
        }
      });
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
      serveAppProtocol(path.join(distDir, 'renderer'));
      try {
        const dataDir = electronApp.getPath('userData');
        // The desktop app owns the data folder (a second owner, e.g. mlenv serve, is refused in words) and answers the CLI on its control socket.
        core = createApp({ dataDir, version: VERSION, sqliteBinding: sqliteBinding(), secrets: createKeychainSecretStore(dataDir), owner: { transport: 'desktop' } });
      } catch (e) {
        log.error('cannot start', { message: (e as Error).message });
        new Notification({ title: 'MLEnv Desktop cannot start', body: (e as Error).message }).show();
        electronApp.exit(1);
        return;
      }
      connectIpc(core, () => win);
      createTray(core, assetsDir, { open, quit: () => electronApp.quit() });
      // Told once when the machine turns critical or loses the engine, not at every changed figure.
      let lastLevel = core.getStatus().level;
      core.bus.on('status.changed', (s) => {
        const entered = s.level !== lastLevel && (s.level === 'critical' || s.level === 'unreachable');
        lastLevel = s.level;
        if (entered && Notification.isSupported()) new Notification({ title: `MLEnv Desktop: ${s.level}`, body: s.reasons[0] ?? '' }).show();
      });
      // Container health alerts as native notifications (recoveries included, so the user knows it passed).
      core.bus.on('alerts.raised', (a) => {
        if (a.level !== 'info' || a.from === 'critical' || a.from === 'warning') {
          if (Notification.isSupported()) new Notification({ title: `MLEnv: ${a.container} is ${a.to}`, body: a.message }).show();
        }
      });
      await core.start();
      open();
    }),
    'starting the app',
  );

  electronApp.on('will-quit', () => fireAndForget(core?.dispose(), 'closing the app')); // the journal closes with it: logged
}
