// Engines a user adds: persisted, watched with their own monitor, usable by every container request.
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineInfo } from '@shared/contract';
import { AppError } from '@shared/errors';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import { createApp } from '../app';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();

describe.skipIf(!docker)('engines', () => {
  const d = docker as Docker;
  const dataDir = tmpDataDir();
  afterAll(() => removeTestContainers(d));

  it('adds a unix-socket engine, watches it, launches on it, and keeps it across restarts', async () => {
    const app = await startApp(dataDir, d);
    const changes: EngineInfo[][] = [];
    app.bus.on('engines.changed', (l) => changes.push(l));
    const added = await call(app, 'engines.add', { kind: 'unix', name: 'second', socketPath: '/var/run/docker.sock' });
    expect(added).toMatchObject({ name: 'second', kind: 'unix' });
    await waitFor(async () => (await call(app, 'engines.list', {})).find((e) => e.id === added.id)?.status.state === 'connected', 10_000, 'the added engine to connect');
    const list = await call(app, 'engines.list', {});
    expect(list.map((e) => e.id)).toEqual(['local', added.id]);
    expect(list[1]!.status).toMatchObject({ host: 'unix:///var/run/docker.sock', version: expect.any(String), apiVersion: expect.any(String) });
    expect(changes.some((l) => l.some((e) => e.id === added.id && e.status.state === 'connected'))).toBe(true);

    const c = await call(app, 'containers.launch', { engine: added.id, image: TEST_IMAGE, command: ['true'], start: false, labels: testLabels });
    expect(c.engine).toBe(added.id);
    expect((await call(app, 'containers.list', { engine: added.id })).some((x) => x.id === c.id)).toBe(true);
    const [row] = await call(app, 'events.list', { type: 'container.launch', container: c.id });
    expect(row).toMatchObject({ engine: added.id, engineName: 'second' }); // rows name the engine by id, and keep its name for display
    await app.dispose();

    // The engine is stored (without secrets) and comes back with the app.
    const again = createApp({ dataDir, version: 'test', docker: d, sampleIntervalMs: 60_000 });
    expect(again.docker.engines.list().map((e) => e.name)).toEqual(['Local', 'second']);
    const dup = await call(again, 'engines.add', { kind: 'unix', name: 'second', socketPath: '/tmp/x.sock' }).catch((e: AppError) => e);
    expect(dup).toMatchObject({ code: 'CONFLICT', message: 'an engine named "second" already exists' });
    expect(await call(again, 'engines.remove', { id: added.id })).toEqual({ removed: true });
    expect(await call(again, 'engines.remove', { id: 'local' }).catch((e: AppError) => e)).toMatchObject({ code: 'INVALID_INPUT' });
    await again.dispose();
  });

  it('reports an unreachable engine and refuses unreadable TLS files and unknown engines', async () => {
    const app = await startApp(tmpDataDir(), d);
    const gone = await call(app, 'engines.add', { kind: 'unix', name: 'gone', socketPath: `/tmp/no-docker-${RUN}.sock` });
    await waitFor(async () => (await call(app, 'engines.list', {})).find((e) => e.id === gone.id)?.status.state === 'unreachable', 10_000, 'unreachable');
    const list = await call(app, 'containers.list', { engine: gone.id }).catch((e: AppError) => e);
    expect(list).toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: expect.stringContaining('"gone" is unreachable (ENOENT') });
    const tls = await call(app, 'engines.add', { kind: 'tcp', name: 'tls', host: '127.0.0.1', port: 2376, tls: { ca: '/nonexistent/ca.pem', cert: '/nonexistent/cert.pem', key: '/nonexistent/key.pem' } }).catch(
      (e: AppError) => e,
    );
    expect(tls).toMatchObject({ code: 'INVALID_INPUT', message: 'cannot read the CA file /nonexistent/ca.pem: ENOENT' });
    const unknown = await call(app, 'containers.list', { engine: 'nope' }).catch((e: AppError) => e);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no engine "nope"; known engines: local') });
    await app.dispose();
  });
});
