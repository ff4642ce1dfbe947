// Image references by Docker's normalisation rules (distribution/reference).
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, mirrorTarget, parseImageLocation, registryBaseUrl } from './reference';

describe('parseImageLocation', () => {
  it('a first component with ".", ":" or localhost is a registry', () => {
    expect(parseImageLocation('nvcr.io/nvidia/pytorch:25.12-py3')).toEqual({ registry: 'nvcr.io', path: 'nvidia/pytorch', tag: '25.12-py3' });
    expect(parseImageLocation('127.0.0.1:5000/team/app')).toEqual({ registry: '127.0.0.1:5000', path: 'team/app', tag: null });
    expect(parseImageLocation('localhost/app:1')).toEqual({ registry: 'localhost', path: 'app', tag: '1' });
    expect(parseImageLocation('registry.lan:5000/a/b/c:v1.2')).toEqual({ registry: 'registry.lan:5000', path: 'a/b/c', tag: 'v1.2' });
  });
  it('anything else is on Docker Hub, one-component names under library/', () => {
    expect(parseImageLocation('python:3.12')).toEqual({ registry: 'docker.io', path: 'library/python', tag: '3.12' });
    expect(parseImageLocation('pytorch/pytorch')).toEqual({ registry: 'docker.io', path: 'pytorch/pytorch', tag: null });
  });
  it('refuses malformed references, digests and image ids in one sentence', () => {
    expect(() => parseImageLocation('Not An Image')).toThrow(/is not an image reference/);
    expect(() => parseImageLocation(`nvcr.io/nvidia/pytorch@sha256:${'a'.repeat(64)}`)).toThrow(/pins a digest/);
  });
});

describe('registry addresses', () => {
  it('loopback hosts are spoken to over http, others over https, Docker Hub at registry-1', () => {
    expect(isLoopbackHost('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('registry.lan:5000')).toBe(false);
    expect(registryBaseUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryBaseUrl('nvcr.io')).toBe('https://nvcr.io');
    expect(registryBaseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });
  it('a mirror setting is a host or a URL', () => {
    expect(mirrorTarget('http://127.0.0.1:5000')).toEqual({ host: '127.0.0.1:5000', baseUrl: 'http://127.0.0.1:5000' });
    expect(mirrorTarget('mirror.lan:5000/')).toEqual({ host: 'mirror.lan:5000', baseUrl: 'https://mirror.lan:5000' });
  });
});
