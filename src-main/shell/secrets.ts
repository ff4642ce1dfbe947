// Registry secrets through the OS keychain: Electron's safeStorage encrypts them (Keychain, DPAPI,
// libsecret/kwallet), and the ciphertext lives in a 0600 file beside the database.
import { safeStorage } from 'electron';
import path from 'node:path';
import { createFileSecretStore, type SecretStore } from '../core/docker/secrets';

export function createKeychainSecretStore(dataDir: string): SecretStore | undefined {
  // Without a keychain (e.g. no secret service on Linux) fall back to the core's plain 0600 file.
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return createFileSecretStore(path.join(dataDir, 'secrets.enc.json'), {
    kind: `OS keychain (safeStorage, ${process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : process.platform})`,
    encode: (s) => safeStorage.encryptString(s).toString('base64'),
    decode: (s) => safeStorage.decryptString(Buffer.from(s, 'base64')),
  });
}
