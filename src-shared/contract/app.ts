import { z } from 'zod';
import { request } from './define';

/**
 * Where registry secrets are kept: `keychain` (the OS keychain through Electron's safeStorage:
 * macOS Keychain, Windows DPAPI, libsecret or KWallet), `basic_text` (safeStorage without a Linux
 * secret service: a fixed key, as good as plain text) or `file` (plain JSON, mode 0600: serve mode,
 * the CLI, or a desktop without encryption).
 */
export type SecretBackend = 'keychain' | 'basic_text' | 'file';

export interface SecretStorage {
  backend: SecretBackend;
  /** Where the secrets live, for people, e.g. "OS keychain (safeStorage, gnome_libsecret)". */
  kind: string;
  /** One paragraph for Settings when the secrets are not protected by a keychain; null when they are. */
  warning: string | null;
}

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  dbPath: string;
  platform: string;
  arch: string;
  nodeVersion: string;
  pid: number;
  startedAt: number;
  secretStorage: SecretStorage;
}

export const appRequests = {
  'app.info': request(z.object({}).strict()).returns<AppInfo>(),
};
