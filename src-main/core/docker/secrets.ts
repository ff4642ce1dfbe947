// Secrets (registry passwords, API keys) never go into the database or the log. The desktop app
// stores them through Electron's safeStorage (src-main/shell/secrets.ts); plain Node keeps them in a
// 0600 file in the data folder.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SecretBackend, SecretStorage } from '@shared/contract';

export interface SecretStore {
  /** Where the secrets live, for people (never the secrets). */
  readonly kind: string;
  /** How well they are protected: keychain, basic_text (safeStorage's fixed key) or file (plain). */
  readonly backend: SecretBackend;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): boolean;
}

/** A JSON map in a file only its owner can read; writes are atomic (temp file + rename). */
export function createFileSecretStore(
  file: string,
  codec: { kind: string; backend: SecretBackend; encode(s: string): string; decode(s: string): string } = {
    kind: `file (${path.basename(file)}, mode 0600)`,
    backend: 'file',
    encode: (s) => s,
    decode: (s) => s,
  },
): SecretStore {
  const read = (): Record<string, string> => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {});
  const write = (m: Record<string, string>) => {
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, JSON.stringify(m), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };
  return {
    kind: codec.kind,
    backend: codec.backend,
    get: (key) => {
      const v = read()[key];
      return v === undefined ? undefined : codec.decode(v);
    },
    set: (key, value) => write({ ...read(), [key]: codec.encode(value) }),
    delete: (key) => {
      const m = read();
      if (!(key in m)) return false;
      delete m[key];
      write(m);
      return true;
    },
  };
}

export const SECRETS_FILE = 'secrets.json';

/**
 * What Settings tells about the secret store (app.info's `secretStorage`): its backend, where it
 * is, and a warning unless an OS keychain protects the secrets.
 */
export function secretStorageInfo(store: Pick<SecretStore, 'kind' | 'backend'>): SecretStorage {
  return { backend: store.backend, kind: store.kind, warning: secretStorageWarning(store.backend) };
}

/** The warning for a backend (null for the keychain): what is exposed, and what to do about it. */
export function secretStorageWarning(backend: SecretBackend): string | null {
  switch (backend) {
    case 'keychain':
      return null;
    case 'basic_text':
      return (
        'No OS keychain was found (Electron fell back to its basic_text store): registry passwords and API keys are ' +
        'encrypted with a fixed key, so anyone who can read your data folder can read them. Install and unlock a ' +
        'secret service (GNOME Keyring or KWallet), then restart MLEnv Desktop and save your registry logins again so the keychain protects them.'
      );
    case 'file':
      return (
        `Registry passwords and API keys are stored unencrypted in ${SECRETS_FILE} (mode 0600) in the data folder: ` +
        'anyone with access to your account, or to a copy of that folder, can read them. The desktop app keeps them ' +
        'in the OS keychain where one is available.'
      );
  }
}
