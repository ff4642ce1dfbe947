import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { ContainerDetail, OverallStatus, StatusLevel } from '@shared/contract';
import type { App } from '../core/app';
import type { Disposable } from '../core/disposable';
import { fireAndForget } from '../core/fire-and-forget';
import { log } from '../core/log';
import { trayContainerItems, trayRecentItems, trayTooltip } from '../core/tray-text';

/**
 * The tray icon: its colour follows the overall status, its tooltip the headline figures, and its
 * menu lists the running managed containers (open one in the window, or stop it) and the images
 * launched from the catalog most recently (launch one again with a click, as one-click does).
 */
export function createTray(app: App, assetsDir: string, actions: { open(route?: string): void; quit(): void }): Disposable {
  const icon = (level: StatusLevel) => nativeImage.createFromPath(path.join(assetsDir, 'tray', `${level}.png`));
  const tray = new Tray(icon(app.getStatus().level));
  let shownIds = '';

  const stop = (id: string, name: string) =>
    // The same request the UI sends: validated, journaled, and failures worded for a person.
    fireAndForget(
      app.router.dispatch('containers.stop', { id, timeoutSeconds: 10 }).then((r) => {
        if (!r.ok) log.error(`tray: could not stop ${name}`, { message: r.error.message });
      }),
      `stopping ${name} from the tray`,
      app.events,
    );

  const relaunch = (r: { repository: string; tag: string; engine: string }) =>
    // catalog.launch as the app's Launch button sends it: planned again now (free name, GPUs, remembered choices), then the gate.
    fireAndForget(
      app.router.dispatch('catalog.launch', { repository: r.repository, tag: r.tag, engine: r.engine }).then((res) => {
        if (res.ok) actions.open(`containers/${(res.value as ContainerDetail).id}`);
        else log.error(`tray: could not launch ${r.repository}:${r.tag}`, { message: res.error.message });
      }),
      `launching ${r.repository}:${r.tag} from the tray`,
      app.events,
    );

  const buildMenu = () => {
    const recent = trayRecentItems(app.launcher.recent());
    const items = trayContainerItems(app.containerStats.latest());
    shownIds = items.map((c) => c.id).join();
    const containers: MenuItemConstructorOptions[] = items.length
      ? items.map((c) => ({
          label: c.label,
          submenu: [
            { label: 'Open', click: () => actions.open(`containers/${c.id}`) },
            { label: 'Stop', click: () => stop(c.id, c.name) },
          ],
        }))
      : [{ label: 'No managed containers running', enabled: false }];
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open dashboard', click: () => actions.open() },
        { type: 'separator' },
        ...containers,
        { type: 'separator' },
        ...(recent.length
          ? [{ label: 'Launch again', enabled: false }, ...recent.map((r): MenuItemConstructorOptions => ({ label: r.label, click: () => relaunch(r) })), { type: 'separator' as const }]
          : []),
        { label: 'Quit MLEnv Desktop', click: actions.quit },
      ]),
    );
  };
  buildMenu();
  tray.on('click', () => actions.open());
  let shownLevel: StatusLevel | undefined;
  // status.changed comes with every changed figure in the reasons; the icon changes only with the level.
  const render = (s: OverallStatus) => {
    if (s.level !== shownLevel) tray.setImage(icon((shownLevel = s.level)));
    tray.setToolTip(trayTooltip(s, app.engine.get()));
  };
  render(app.getStatus());
  const offStatus = app.bus.on('status.changed', render);
  const offRecent = app.bus.on('catalog.recent', buildMenu);
  const offSnapshot = app.bus.on('metrics.snapshot', (s) => {
    tray.setToolTip(trayTooltip(app.getStatus(), app.engine.get()));
    // Rebuilt only when the set of running containers changes, not every tick.
    const ids = trayContainerItems(s.containers ?? []).map((c) => c.id).join();
    if (ids !== shownIds) buildMenu();
  });
  return {
    /** Stops following the bus and removes the icon. */
    dispose() {
      offStatus();
      offRecent();
      offSnapshot();
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
