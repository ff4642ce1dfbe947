// What MLEnv keeps of the containers it runs (the containers repository, container_instances), on the
// real engine through the real router: the launch spec (secrets masked) and the state the user asked
// for come back with the container's inspect data, follow each operation, and answer the reads by
// engine, project and desired state; journal rows name the engine by its id.
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MASKED_VALUE } from '@shared/secret-env';
import { realDocker, TEST_IMAGE, tmpDataDir } from '../../test-support';
import type { App } from '../app';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();

describe.skipIf(!docker)('containers kept by MLEnv on the real engine', () => {
  let app: App;
  const d = docker as Docker;
  const name = `mlenv-t-kept-${RUN}`;
  const project = `kept-${RUN}`.slice(0, 64);

  beforeAll(async () => {
    app = await startApp(tmpDataDir(), d);
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  it('a launch is kept with its spec (secret values masked) and desired running; each operation moves the desired state', async () => {
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name,
      project,
      env: ['GREETING=hi', 'NGC_API_KEY=nvapi-not-for-the-database'],
      command: ['sleep', '300'],
      labels: testLabels,
    });
    expect(c.launchSpec).toMatchObject({ image: TEST_IMAGE, name, project, command: ['sleep', '300'], env: [{ key: 'GREETING', value: 'hi' }, { key: 'NGC_API_KEY', value: MASKED_VALUE }] });
    expect(c.desiredState).toBe('running');
    const kept = () => app.repositories.containers.get(c.id);
    expect(kept()).toMatchObject({ engine: 'local', name, project, desiredState: 'running', removedAt: null });

    expect((await call(app, 'containers.pause', { id: name })).desiredState).toBe('paused');
    expect((await call(app, 'containers.unpause', { id: name })).desiredState).toBe('running');
    expect((await call(app, 'containers.stop', { id: name, timeoutSeconds: 0 })).desiredState).toBe('stopped');
    expect(app.repositories.containers.list({ project, desiredState: 'stopped' }).map((x) => x.id)).toEqual([c.id]);
    const started = await call(app, 'containers.start', { id: name });
    expect(started).toMatchObject({ state: 'running', desiredState: 'running', launchSpec: { project } }); // a start keeps the spec
    expect(app.repositories.containers.list({ engine: 'local', desiredState: 'running' }).map((x) => x.id)).toContain(c.id);

    await call(app, 'containers.remove', { id: name, force: true });
    expect(kept()?.removedAt).toEqual(expect.any(Number));
    expect(app.repositories.containers.list({ project })).toEqual([]);
    expect(app.repositories.containers.list({ project, includeRemoved: true }).map((x) => x.name)).toEqual([name]);

    // every row about it names the local engine by its id, with the name beside it for display
    const rows = (await call(app, 'events.list', { container: c.id.slice(0, 12), limit: 100 })).filter((r) => r.type.startsWith('container.'));
    expect(rows.map((r) => r.type).sort()).toEqual(['container.launch', 'container.pause', 'container.remove', 'container.start', 'container.stop', 'container.unpause']);
    expect(rows.every((r) => r.engine === 'local' && r.engineName === 'Local')).toBe(true);
  });
});
