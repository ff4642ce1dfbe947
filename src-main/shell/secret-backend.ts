// Which backend Electron's safeStorage really uses, in the contract's words. Pure (no 'electron'
// import) so a test can hold it; secrets.ts passes in what safeStorage reports.
import type { SecretBackend } from '@shared/contract';

/** Linux secret services safeStorage encrypts with (safeStorage.getSelectedStorageBackend()). */
const LINUX_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * `keychain` on macOS (Keychain) and Windows (DPAPI); on Linux only for a real secret service.
 * Linux's `basic_text` (a fixed, public key) and `unknown` (asked before `ready`, so unproven) are
 * reported as `basic_text`, which Settings warns about.
 */
export function safeStorageBackend(platform: NodeJS.Platform, linuxBackend: string | undefined): Extract<SecretBackend, 'keychain' | 'basic_text'> {
  if (platform !== 'linux') return 'keychain';
  return linuxBackend !== undefined && LINUX_KEYRINGS.has(linuxBackend) ? 'keychain' : 'basic_text';
}
