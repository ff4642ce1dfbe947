import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { createFileSecretStore, SECRETS_FILE, secretStorageInfo } from './secrets';

describe('secret store', () => {
  it('without a keychain is a plain 0600 file, and says so with a warning', () => {
    const file = path.join(tmpDataDir(), SECRETS_FILE);
    const store = createFileSecretStore(file);
    store.set('registry:nvcr.io', 'nvapi-secret');
    expect(readFileSync(file, 'utf8')).toContain('nvapi-secret'); // what the warning is about
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const info = secretStorageInfo(store);
    expect(info).toMatchObject({ backend: 'file', kind: 'file (secrets.json, mode 0600)' });
    expect(info.warning).toMatch(/unencrypted in secrets\.json/);
  });

  it("warns about safeStorage's basic_text fallback, and not about a real keychain", () => {
    const basic = secretStorageInfo({ kind: 'secrets.enc.json, mode 0600 (safeStorage basic_text: no keychain)', backend: 'basic_text' });
    expect(basic.warning).toMatch(/basic_text.*fixed key/);
    expect(basic.warning).toMatch(/GNOME Keyring or KWallet/);
    expect(secretStorageInfo({ kind: 'OS keychain (safeStorage, gnome_libsecret)', backend: 'keychain' })).toEqual({
      backend: 'keychain',
      kind: 'OS keychain (safeStorage, gnome_libsecret)',
      warning: null,
    });
  });

  it('keeps the backend a codec declares (the desktop store encodes through safeStorage)', () => {
    const store = createFileSecretStore(path.join(tmpDataDir(), 'secrets.enc.json'), {
      kind: 'test keychain',
      backend: 'keychain',
      encode: (s) => Buffer.from(s).toString('base64'),
      decode: (s) => Buffer.from(s, 'base64').toString(),
    });
    store.set('k', 'v');
    expect(store.get('k')).toBe('v');
    expect(store.backend).toBe('keychain');
  });
});
