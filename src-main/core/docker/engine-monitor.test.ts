import Docker from 'dockerode';
import { createConnection, createServer, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '@shared/contract';
import { realDocker, tmpDataDir, waitFor } from '../../test-support';
import { createBus } from '../bus';
import { createEngineMonitor } from './engine-monitor';

const docker = await realDocker();

/** A unix socket that forwards to the real engine: an "engine" we can start and stop at will. */
function proxyEngine(socketPath: string): Promise<{ close(): void }> {
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection('/var/run/docker.sock');
    open.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  // Closing takes the engine away for real: no new connections, and the open ones cut.
  const close = () => {
    server.close();
    open.forEach((s) => s.destroy());
  };
  return new Promise((r) => server.listen(socketPath, () => r({ close })));
}

describe.skipIf(!docker)('engine monitor (real dockerd)', () => {
  const monitors: { stop(): void }[] = [];
  afterEach(() => monitors.splice(0).forEach((m) => m.stop()));

  it('reports the local engine connected, with its version, API version and runtimes', async () => {
    const bus = createBus();
    const seen: EngineStatus[] = [];
    bus.on('engine.status', (s) => seen.push(s));
    const monitor = createEngineMonitor({ bus });
    monitors.push(monitor);
    monitor.start();
    await waitFor(() => monitor.get().state === 'connected', 8000, 'the engine connected');
    const version = await docker!.version();
    expect(monitor.get()).toMatchObject({ state: 'connected', version: version.Version, apiVersion: version.ApiVersion });
    expect(monitor.get().runtimes).toContain('runc');
    expect(seen.at(-1)?.state).toBe('connected');
  });

  it('finds an engine that comes up later, and notices when it goes away, without a restart', async () => {
    const socketPath = path.join(tmpDataDir(), 'docker.sock');
    const bus = createBus();
    const states: string[] = [];
    bus.on('engine.status', (s) => states.push(s.state));
    const monitor = createEngineMonitor({ bus, docker: new Docker({ socketPath }), healthyIntervalMs: 300 });
    monitors.push(monitor);
    monitor.start();
    await waitFor(() => monitor.get().state === 'unreachable', 8000, 'the engine unreachable');
    expect(monitor.get().error).toMatch(/ENOENT|ECONNREFUSED/);

    const proxy = await proxyEngine(socketPath);
    await waitFor(() => monitor.get().state === 'connected', 15_000, 'the engine connected'); // backoff is capped at 3 s
    proxy.close();
    await waitFor(() => monitor.get().state === 'unreachable', 15_000, 'the engine unreachable');
    expect(states).toEqual(['unreachable', 'connected', 'unreachable']);
  });
});
