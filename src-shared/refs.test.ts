// The validators every name and path a request carries goes through before it reaches an Engine
// API path or an HTTP client: container ids/names, image refs, probe paths — each from its grammar
// (Docker's name rule, the distribution reference grammar, RFC 9112 origin-form with Node's limits).
import { describe, expect, it } from 'vitest';
import { requests } from './contract';
import { checkContainerRef, checkImageRef, checkProbePath, MAX_PROBE_PATH } from './launch';

const refused = (f: (s: string) => unknown, s: string) => {
  try {
    f(s);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('checkContainerRef', () => {
  it('accepts short and full ids, and names by Docker\'s rule', () => {
    for (const ok of ['0123456789ab', 'f'.repeat(64), 'jupyter', 'my_app.v2-1', 'a1', 'A'.repeat(128)]) expect(checkContainerRef(ok)).toBe(ok);
  });

  it('refuses anything that could leave /containers/{id} or is no name at all', () => {
    for (const bad of ['', 'a', '..', '../containers/x', 'abc/stop', 'a b', '/name', '-name', '.hidden', 'x\0y', 'x%2F..', 'A'.repeat(129), 'naïve']) {
      expect(refused(checkContainerRef, bad), JSON.stringify(bad)).toMatch(/is neither a container id \(12–64 hex digits\) nor a container name/);
    }
  });
});

describe('checkImageRef (the ref images.remove and images.pull take)', () => {
  it('accepts references by the distribution grammar and image ids as images.list gives them', () => {
    for (const ok of [
      'busybox',
      'busybox:latest',
      'nvcr.io/nvidia/pytorch:25.12-py3',
      'localhost:5000/team/model:v1',
      `nvcr.io/nvidia/tritonserver@sha256:${'a'.repeat(64)}`,
      `sha256:${'b'.repeat(64)}`,
      'b'.repeat(12),
    ]) expect(checkImageRef(ok)).toBe(ok);
  });

  it('refuses refs that would climb out of /images/{name} (docker-modem resolves .. on TCP and SSH engines)', () => {
    for (const bad of ['../containers/abc', '..', 'busybox/../../containers/abc', '..%2Fcontainers%2Fabc', '/images/x', 'a//b', 'UPPER/case', 'a b', 'x?force=1', 'x#y']) {
      expect(refused(checkImageRef, bad), bad).toMatch(/is not an image reference/);
    }
  });
});

describe('checkProbePath', () => {
  it('accepts origin-form paths: /, segments, percent-encoding, a query', () => {
    for (const ok of ['/', '/ready', '/api/v1/health?full=1&x=%20', '/%E2%82%AC', "/a-b_c.d~e!$&'()*+,;=:@"]) expect(checkProbePath(ok)).toBe(ok);
    expect(checkProbePath(`/${'a'.repeat(MAX_PROBE_PATH - 1)}`)).toHaveLength(MAX_PROBE_PATH);
  });

  it('refuses what Node\'s HTTP client would throw on, and what is not a path', () => {
    expect(refused(checkProbePath, '/ x')).toBe('probe path "/ x" has a space, a control character or a non-ASCII character: percent-encode it (%20 for a space)');
    expect(refused(checkProbePath, '/a\tb')).toMatch(/has a space, a control character/);
    expect(refused(checkProbePath, '/a\r\nHost: evil')).toMatch(/has a space, a control character/);
    expect(refused(checkProbePath, '/\0')).toMatch(/has a space, a control character/);
    expect(refused(checkProbePath, '/€')).toMatch(/non-ASCII character: percent-encode it/);
    expect(refused(checkProbePath, 'ready')).toBe('probe path "ready" must start with /');
    expect(refused(checkProbePath, 'http://evil/')).toBe('probe path "http://evil/" must start with /');
    expect(refused(checkProbePath, '')).toBe('probe path "" must start with /');
    expect(refused(checkProbePath, `/${'a'.repeat(MAX_PROBE_PATH)}`)).toMatch(/is longer than 1024 characters$/);
  });

  it('is what the launch contract checks a probe path with', () => {
    const launch = requests['containers.launch'].input;
    const probe = (path: string) => launch.safeParse({ image: 'busybox', probe: { kind: 'http', port: 80, path } });
    expect(probe('/ready').success).toBe(true);
    const bad = probe('/ x');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['probe', 'path'], message: expect.stringContaining('has a space') });
  });
});
