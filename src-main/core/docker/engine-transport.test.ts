// How the app tells which socket (or host) an engine is reached on, from dockerode's modem: the
// default socket is a function there (docker-modem's findDefaultUnixSocket), read here as its path.
import Docker from 'dockerode';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { engineTransport } from './engine-registry';

describe('engineTransport', () => {
  const home = tmpDataDir();
  afterEach(() => vi.unstubAllEnvs());

  it('reads the default socket as docker-modem resolves it: ~/.docker/run/docker.sock when it exists, else /var/run/docker.sock', () => {
    vi.stubEnv('DOCKER_HOST', '');
    vi.stubEnv('HOME', home);
    expect(engineTransport(new Docker())).toEqual({ socketPath: '/var/run/docker.sock', cleartext: false });
    mkdirSync(path.join(home, '.docker', 'run'), { recursive: true });
    writeFileSync(path.join(home, '.docker', 'run', 'docker.sock'), '');
    expect(engineTransport(new Docker()).socketPath).toBe(path.join(home, '.docker', 'run', 'docker.sock'));
    vi.stubEnv('DOCKER_HOST', 'unix://'); // unix:// without a path: the default too
    expect(engineTransport(new Docker()).socketPath).toBe(path.join(home, '.docker', 'run', 'docker.sock'));
  });

  it('takes a socket given by DOCKER_HOST or the options, and none over TCP', () => {
    vi.stubEnv('DOCKER_HOST', 'unix:///run/user/1000/docker.sock');
    expect(engineTransport(new Docker()).socketPath).toBe('/run/user/1000/docker.sock');
    expect(engineTransport(new Docker({ socketPath: '/tmp/d.sock' })).socketPath).toBe('/tmp/d.sock');
    vi.stubEnv('DOCKER_HOST', 'tcp://10.0.0.2:2375');
    expect(engineTransport(new Docker())).toEqual({ socketPath: null, cleartext: true });
  });
});
