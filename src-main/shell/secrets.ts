// Registry secrets through the OS keychain: Electron's safeStorage encrypts them (Keychain, DPAPI,
// libsecret/kwallet), and the ciphertext lives in a 0600 file beside the database.
import { safeStorage } from 'electron';
import path from 'node:path';
import { createFileSecretStore, type SecretStore } from '../core/docker/secrets';
import { safeStorageBackend } from './secret-backend';

/**
 * The desktop app's secret store, or undefined when safeStorage cannot encrypt at all (the core then
 * keeps the plain 0600 file). Its `backend` says whether a keychain really protects the secrets:
 * on Linux without a secret service safeStorage falls back to `basic_text`, and Settings warns.
 */
export function createKeychainSecretStore(dataDir: string): SecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const linuxBackend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  const backend = safeStorageBackend(process.platform, linuxBackend);
  return createFileSecretStore(path.join(dataDir, 'secrets.enc.json'), {
    kind: backend === 'keychain' ? `OS keychain (safeStorage, ${linuxBackend ?? process.platform})` : `secrets.enc.json, mode 0600 (safeStorage ${linuxBackend}: no keychain)`,
    backend,
    encode: (s) => safeStorage.encryptString(s).toString('base64'),
    decode: (s) => safeStorage.decryptString(Buffer.from(s, 'base64')),
  });
}
