// WWW-Authenticate as registries send it (the recorded nvcr.io challenge) and as RFC 9110 allows it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWwwAuthenticate } from './www-authenticate';

describe('parseWwwAuthenticate', () => {
  it('reads the recorded nvcr.io challenge (realm and scope, no service)', () => {
    const header = readFileSync(path.join(__dirname, 'fixtures/nvcr-401-headers.txt'), 'utf8')
      .split('\n')
      .find((l) => l.toLowerCase().startsWith('www-authenticate:'))!
      .slice('www-authenticate:'.length);
    expect(parseWwwAuthenticate(header)).toEqual([{ scheme: 'bearer', params: { realm: 'https://nvcr.io/proxy_auth', scope: 'repository:nvidia/pytorch:pull' } }]);
  });
  it('reads realm, service and scope in any order, quoted or not, with escapes', () => {
    expect(parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/python:pull' } },
    ]);
    expect(parseWwwAuthenticate('Bearer  scope=repository:a/b:pull , realm="https://x/t\\"q"')).toEqual([{ scheme: 'bearer', params: { scope: 'repository:a/b:pull', realm: 'https://x/t"q' } }]);
  });
  it('reads several challenges, and Basic', () => {
    expect(parseWwwAuthenticate('Basic realm="Registry Realm", Bearer realm="https://r/token",service="r"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://r/token', service: 'r' } },
    ]);
  });
  it('gives nothing for an absent or empty header', () => {
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});
