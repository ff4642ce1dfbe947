import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'MLEnv Desktop';

/**
 * The folder Electron's app.getPath('userData') gives for this app, computed without Electron so
 * serve mode and the CLI open the same `mlenv.db` as the desktop app. MLENV_DATA_DIR overrides.
 */
export function defaultDataDir(env = process.env, platform = process.platform): string {
  if (env.MLENV_DATA_DIR) return path.resolve(env.MLENV_DATA_DIR);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}
