import { describe, expect, it } from 'vitest';
import { safeStorageBackend } from './secret-backend';

describe('safeStorage backend', () => {
  it('is the keychain on macOS and Windows', () => {
    expect(safeStorageBackend('darwin', undefined)).toBe('keychain');
    expect(safeStorageBackend('win32', undefined)).toBe('keychain');
  });

  it('is the keychain on Linux only with a secret service (libsecret, KWallet)', () => {
    for (const b of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) expect(safeStorageBackend('linux', b), b).toBe('keychain');
  });

  it("counts Linux's basic_text fallback, and an unknown or missing answer, as basic_text", () => {
    for (const b of ['basic_text', 'unknown', undefined]) expect(safeStorageBackend('linux', b), String(b)).toBe('basic_text');
  });
});
