// Secrets (registry passwords, API keys) never go into the database or the log. The desktop app
// stores them through Electron's safeStorage (src-main/shell/secrets.ts); plain Node keeps them in a
// 0600 file in the data folder.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SecretStore {
  /** Where the secrets live, for people (never the secrets). */
  readonly kind: string;
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): boolean;
}

/** A JSON map in a file only its owner can read; writes are atomic (temp file + rename). */
export function createFileSecretStore(
  file: string,
  codec: { kind: string; encode(s: string): string; decode(s: string): string } = { kind: `file (${path.basename(file)}, mode 0600)`, encode: (s) => s, decode: (s) => s },
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
