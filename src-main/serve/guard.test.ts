import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { createHostGuard, isJson, parseAllowHosts, parseAuthority, parseTarget, pathForLog } from './guard';

describe('parseTarget (RFC 9112 §3.2: origin-form only)', () => {
  it('reads a path and query', () => {
    const u = parseTarget('/api/ws?x=1');
    expect([u?.pathname, u?.searchParams.get('x')]).toEqual(['/api/ws', '1']);
    expect(parseTarget('//[')?.pathname).toBe('//['); // a path, not a host: never parsed as one
    expect(parseTarget('//evil.example/api/call/x')?.pathname).toBe('//evil.example/api/call/x');
  });
  it('refuses the other forms and nothing, without throwing', () => {
    for (const t of [undefined, '', '*', 'http://evil.example/', 'evil.example:443', 'api/ws']) expect(parseTarget(t), String(t)).toBeUndefined();
  });
  it('logs the path only, never the query', () => {
    expect(pathForLog('/?token=secret')).toBe('/');
    expect(pathForLog('/api/call/app.info?token=secret&x=1')).toBe('/api/call/app.info');
    expect(pathForLog(undefined)).toBe('');
  });
});

describe('parseAuthority (RFC 9110 §7.2: uri-host [":" port])', () => {
  it('normalizes names and addresses as the URL parser does', () => {
    expect(parseAuthority('localhost:8765')).toEqual({ name: 'localhost', port: 8765 });
    expect(parseAuthority('LocalHost')).toEqual({ name: 'localhost', port: undefined });
    expect(parseAuthority('[0:0:0:0:0:0:0:1]:80')).toEqual({ name: '[::1]', port: 80 });
    expect(parseAuthority('127.0.0.1')).toEqual({ name: '127.0.0.1', port: undefined });
  });
  it('refuses what is not a host', () => {
    for (const t of ['', 'a@127.0.0.1', 'a b', 'evil.example/x', 'host:99999', 'host:', '[::1', '[zz]', '[1::2::3]', ':8765', 'a\\b']) {
      expect(parseAuthority(t), t).toBeUndefined();
    }
  });
});

describe('createHostGuard', () => {
  const guard = createHostGuard({ port: 8765, host: '127.0.0.1', allowHosts: parseAllowHosts(['gpu.lan', 'proxy.example:8443', '::2']) });

  it('answers to loopback names on its port, the listen address and the allowed names', () => {
    for (const h of ['127.0.0.1:8765', 'localhost:8765', 'LOCALHOST:8765', '[::1]:8765', 'gpu.lan', 'GPU.lan:1234', 'proxy.example:8443', '[::2]:1']) {
      expect(guard.hostAllowed(h), h).toBe(true);
    }
  });
  it('refuses other names (DNS rebinding), other ports of loopback, and no Host', () => {
    for (const h of [undefined, '', 'evil.example:8765', '127.0.0.1.nip.io:8765', 'localhost.:8765', 'localhost:8766', 'localhost', 'proxy.example', 'proxy.example:443', 'localhost:8765@evil']) {
      expect(guard.hostAllowed(h), String(h)).toBe(false);
    }
  });
  it('takes an Origin that is absent or exactly one of ours (scheme, host, port)', () => {
    for (const o of [undefined, 'http://127.0.0.1:8765', 'http://localhost:8765', 'https://gpu.lan', 'http://proxy.example:8443']) {
      expect(guard.originAllowed(o), String(o)).toBe(true);
    }
    for (const o of ['null', '', 'http://evil.example', 'http://localhost:3000', 'http://127.0.0.1:8765/', 'file://', 'chrome-extension://abc', 'http://127.0.0.1:8765, http://evil.example', 'https://proxy.example']) {
      expect(guard.originAllowed(o), o).toBe(false);
    }
  });
  it('on a wildcard address answers to that address and to this machine\'s interface addresses', () => {
    const wildcard = createHostGuard({ port: 80, host: '0.0.0.0' });
    expect(wildcard.hostAllowed('0.0.0.0')).toBe(true);
    for (const nic of Object.values(os.networkInterfaces()).flat()) {
      if (nic?.family === 'IPv4') expect(wildcard.hostAllowed(`${nic.address}:80`), nic.address).toBe(true);
    }
    expect(wildcard.hostAllowed('evil.example')).toBe(false);
    expect(createHostGuard({ port: 80, host: '::' }).hostAllowed('[::]')).toBe(true);
  });
  it('names an --allow-host entry that is not a host', () => {
    expect(() => parseAllowHosts(['ok.example', 'not a host'])).toThrow('--allow-host not a host: give a host name or address, optionally with :PORT');
  });
});

describe('isJson (RFC 9110 §8.3.1)', () => {
  it('takes application/json with parameters, in any case; nothing else', () => {
    for (const t of ['application/json', 'application/json; charset=utf-8', 'Application/JSON ;charset=UTF-8']) expect(isJson(t), t).toBe(true);
    for (const t of [undefined, '', 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/json-seq']) {
      expect(isJson(t), String(t)).toBe(false);
    }
  });
});
