import { RECENT_LAUNCHES, type EngineStatus, type OverallStatus, type RecentLaunch } from '@shared/contract';
import { formatPercent } from '@shared/units';

/** The tray tooltip, plain text (pure so it is tested without Electron). */
export function trayTooltip(s: OverallStatus, engine: EngineStatus): string {
  const engineText =
    engine.state === 'connected' ? `Docker ${engine.version ?? ''} connected` : engine.state === 'connecting' ? 'Docker: connecting…' : 'Docker unreachable';
  const gpu =
    s.gpuUtilPercent === null || s.gpuUtilPercent === undefined
      ? undefined
      : `GPU ${formatPercent(s.gpuUtilPercent)} · VRAM ${formatPercent(s.vramPercent)}`;
  const running = s.containersRunning ?? 0;
  return [
    `MLEnv Desktop: ${s.level}`,
    `CPU ${formatPercent(s.cpuPercent)} · Memory ${formatPercent(s.memoryPercent)}`,
    ...(gpu ? [gpu] : []),
    `${running} container${running === 1 ? '' : 's'} running`,
    engineText,
    ...s.reasons.slice(0, 2),
  ].join('\n');
}

/** The tray menu's container entries: running managed containers by name (pure, tested without Electron). */
export function trayContainerItems(running: { id: string; name: string; cpuPercent: number | null; memoryUsed: number | null }[]) {
  return [...running]
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, 20) // a menu, not a list view: the dashboard has the rest
    .map((c) => ({ id: c.id, name: c.name, label: `${c.name}  (CPU ${formatPercent(c.cpuPercent, 0)})` }));
}

/** A menu label as Electron shows it: on Windows and Linux "&" marks the access key, so a literal one is doubled. */
const menuText = (s: string) => s.replaceAll('&', '&&');

/**
 * The tray menu's relaunch entries: the images launched from the catalog most recently, newest first,
 * at most RECENT_LAUNCHES, each to launch again with the tag it had (pure, tested without Electron).
 * The label says the image and tag, and the engine when it is not the local one.
 */
export function trayRecentItems(recent: readonly RecentLaunch[]) {
  return [...recent]
    .sort((a, b) => b.launchedAt - a.launchedAt || a.repository.localeCompare(b.repository))
    .slice(0, RECENT_LAUNCHES)
    .map((r) => ({
      repository: r.repository,
      tag: r.tag,
      engine: r.engine,
      label: menuText(`${r.displayName} ${r.tag}${r.engine === 'local' ? '' : ` on ${r.engine}`}`),
    }));
}
