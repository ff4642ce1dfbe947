import { Menu, Tray, nativeImage } from 'electron';
import path from 'node:path';
import type { OverallStatus, StatusLevel } from '@shared/contract';
import type { App } from '../core/app';
import { trayTooltip } from '../core/tray-text';

/** The tray icon: its colour follows the overall status, its tooltip the headline figures. */
export function createTray(app: App, assetsDir: string, actions: { open(): void; quit(): void }): Tray {
  const icon = (level: StatusLevel) => nativeImage.createFromPath(path.join(assetsDir, 'tray', `${level}.png`));
  const tray = new Tray(icon(app.getStatus().level));
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open dashboard', click: actions.open },
      { type: 'separator' },
      { label: 'Quit MLEnv Desktop', click: actions.quit },
    ]),
  );
  tray.on('click', actions.open);
  const render = (s: OverallStatus) => {
    tray.setImage(icon(s.level));
    tray.setToolTip(trayTooltip(s, app.engine.get()));
  };
  render(app.getStatus());
  app.bus.on('status.changed', render);
  app.bus.on('metrics.snapshot', () => tray.setToolTip(trayTooltip(app.getStatus(), app.engine.get())));
  return tray;
}
