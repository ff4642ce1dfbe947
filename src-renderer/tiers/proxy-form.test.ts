import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsPatchSchema, type TierProxyStatus } from '@shared/contract';
import { maskToken, proxyForm, proxyPatch, proxySettling, proxyStateText } from './proxy-form';

const initial = proxyForm(DEFAULT_SETTINGS.tiers);
const status = (over: Partial<TierProxyStatus> = {}): TierProxyStatus => ({
  enabled: true,
  port: 11435,
  offered: true,
  listening: true,
  url: 'http://127.0.0.1:11435/v1',
  token: 'abcdefghijklmnopqrstuvwxyz012345',
  error: null,
  ...over,
});

describe('model proxy settings form', () => {
  it('shows the stored settings and patches nothing when untouched', () => {
    expect(initial).toEqual({ enabled: false, port: '11435', optimizeEveryMinutes: '0' });
    expect(proxyPatch(initial, initial)).toEqual({ patch: {}, errors: {} });
  });

  it('patches only what changed, in the shape settings.update takes', () => {
    const { patch, errors } = proxyPatch({ enabled: true, port: ' 11500 ', optimizeEveryMinutes: '15' }, initial);
    expect(errors).toEqual({});
    expect(patch).toEqual({ optimizeEveryMinutes: 15, proxy: { enabled: true, port: 11500 } });
    expect(settingsPatchSchema.safeParse({ tiers: patch }).success).toBe(true);
    expect(proxyPatch({ ...initial, enabled: true }, initial).patch).toEqual({ proxy: { enabled: true } });
  });

  it('refuses ports and intervals outside the contract bounds, with one sentence each', () => {
    const { patch, errors } = proxyPatch({ ...initial, port: '80', optimizeEveryMinutes: '2000' }, initial);
    expect(patch).toEqual({});
    expect(errors).toEqual({ port: 'the port is from 1024 to 65535, not 80', optimizeEveryMinutes: 'the interval in minutes is from 0 to 1440, not 2000' });
    expect(proxyPatch({ ...initial, port: '11435.5' }, initial).errors.port).toBe('"11435.5" is not a whole number: the port is from 1024 to 65535');
    expect(proxyPatch({ ...initial, port: '' }, initial).errors.port).toMatch(/^"" is not a whole number/);
    expect(proxyPatch({ ...initial, port: '65536' }, initial).errors.port).toBe('the port is from 1024 to 65535, not 65536');
    expect(proxyPatch({ ...initial, port: '1024' }, initial).patch).toEqual({ proxy: { port: 1024 } });
  });
});

describe('model proxy status', () => {
  it('masks the token but for its last four characters', () => {
    const masked = maskToken('abcdefghijklmnopqrstuvwxyz012345');
    expect(masked.endsWith('2345')).toBe(true);
    expect(masked).not.toContain('abcd');
    expect(maskToken('abcdefghijklmnopqrstuvwxyz012345')).not.toBe(maskToken('abcdefghijklmnopqrstuvwxyz019999'));
  });

  it('is settling while the listener has not caught up with the setting', () => {
    expect(proxySettling(status())).toBe(false);
    expect(proxySettling(status({ listening: false, url: null }))).toBe(true);
    expect(proxySettling(status({ enabled: false }))).toBe(true);
    expect(proxySettling(status({ port: 11500 }))).toBe(true);
    expect(proxySettling(status({ enabled: false, listening: false, url: null }))).toBe(false);
    // Settled on an error (the port taken), and a core that does not offer the proxy never settles further.
    expect(proxySettling(status({ listening: false, url: null, error: 'the model proxy cannot listen: listen EADDRINUSE' }))).toBe(false);
    expect(proxySettling(status({ offered: false, listening: false, url: null }))).toBe(false);
  });

  it('says where it listens or why not', () => {
    expect(proxyStateText(status())).toBe('Listening on http://127.0.0.1:11435/v1');
    expect(proxyStateText(status({ listening: false, url: null, error: 'the model proxy cannot listen: port 11435 in use' }))).toBe('the model proxy cannot listen: port 11435 in use');
    expect(proxyStateText(status({ listening: false, url: null }))).toBe('Starting on port 11435…');
    expect(proxyStateText(status({ enabled: false, listening: false, url: null }))).toBe('Off.');
    expect(proxyStateText(status({ offered: false, listening: false, url: null }))).toMatch(/does not run the proxy/);
  });
});
