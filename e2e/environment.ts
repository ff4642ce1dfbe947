// What the e2e run has to work with, decided once and shared by the specs and the global setup.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function electronBinary(): string | undefined {
  try {
    const p = createRequire(import.meta.url)('electron') as unknown;
    return typeof p === 'string' && existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}
export const ELECTRON = electronBinary();

/** Why the Electron spec cannot run here, or undefined when it can. */
export function electronSkipReason(): string | undefined {
  if (!ELECTRON) return 'the Electron binary is not installed here (no internet when npm installed it); the same renderer is tested in Chromium through serve mode';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (run under xvfb-run)';
  if (!existsSync('.electron-native/node_modules/better-sqlite3/build/Release/better_sqlite3.node')) {
    return 'better-sqlite3 is not built for Electron yet: run `npm start` once (it builds it into .electron-native)';
  }
  return undefined;
}
