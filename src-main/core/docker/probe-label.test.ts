// The io.mlenv.probe label read back: written by the app as probeLabel() does, but by anyone who
// creates a container too, so every other value is refused with its reason (never a crash later).
import { describe, expect, it } from 'vitest';
import { probeLabel } from '@shared/labels';
import { parseProbeLabel } from './create-options';

const reason = (v: string) => {
  try {
    parseProbeLabel(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('parseProbeLabel', () => {
  it('reads back what probeLabel writes', () => {
    for (const p of [
      { kind: 'http', port: 8888, path: '/api/status' },
      { kind: 'http', port: 80, path: '/' },
      { kind: 'tcp', port: 5432, path: '/' },
    ] as const) expect(parseProbeLabel(probeLabel(p))).toEqual(p);
    expect(parseProbeLabel('http:80')).toEqual({ kind: 'http', port: 80, path: '/' });
  });

  it('has nothing to read when the label is absent or empty', () => {
    expect(parseProbeLabel(undefined)).toBeNull();
    expect(parseProbeLabel('')).toBeNull();
  });

  it('refuses any other value with the reason', () => {
    expect(reason('http:80/ x')).toBe('probe path "/ x" has a space, a control character or a non-ASCII character: percent-encode it (%20 for a space)');
    expect(reason('http:80ready')).toBe('"http:80ready" is not kind:port[/path], such as http:8080/ready or tcp:5432');
    expect(reason('http:0/')).toBe('"http:0/": port 0 is not 1–65535');
    expect(reason('http:65536/')).toBe('"http:65536/": port 65536 is not 1–65535');
    expect(reason('http:123456/')).toBe('"http:123456/": port 123456 is not 1–65535');
    expect(reason(`http:${'9'.repeat(400)}`)).toMatch(/: port 999999… is not 1–65535$/);
    expect(reason('tcp:5432/x')).toBe('"tcp:5432/x": a tcp probe takes no path');
    expect(reason('grpc:50051')).toMatch(/is not kind:port\[\/path\]/);
    expect(reason('HTTP:80/')).toMatch(/is not kind:port\[\/path\]/);
    expect(reason(`http:80/${'a'.repeat(2000)}`)).toMatch(/^probe path "\/a{79}…" is longer than 1024 characters$/);
    expect(reason('http:80/\r\nX: y')).toMatch(/control character/);
  });
});
