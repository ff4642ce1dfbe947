// "Open Jupyter" on the real engine: a container that prints the reported Jupyter logs, with 8888
// published on a port the engine picks, inspected through the real router.
import type Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import type { App } from '../app';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();
const fixtureLines = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8').trimEnd().split('\n');

describe.skipIf(!docker)('Jupyter links on the real engine', () => {
  let app: App;
  const d = docker as Docker;

  beforeAll(async () => {
    app = await startApp(tmpDataDir(), d);
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await app?.dispose();
  });

  /** Launches a container that prints `lines` as its log and stays up, 8888 published on an engine-picked port. */
  async function printing(name: string, lines: string[]) {
    const c = await call(app, 'containers.launch', {
      image: TEST_IMAGE,
      name: `mlenv-t-${name}-${RUN}`,
      ports: ['0:8888'],
      init: true,
      command: ['sh', '-c', 'printf "%s\\n" "$@"; exec sleep 3600', 'sh', ...lines],
      labels: testLabels,
    });
    const hostPort = c.ports.find((p) => p.containerPort === 8888)?.hostPort;
    expect(hostPort).toBeGreaterThan(0);
    const detail = await waitFor(async () => {
      const x = await call(app, 'containers.inspect', { id: c.id });
      return x.jupyter && x;
    }, 10_000, 'the Jupyter link');
    return { detail, hostPort: hostPort! };
  }

  it('Notebook 5 "(<container id> or 127.0.0.1)": the loopback link on the published port, with the token', async () => {
    const { detail, hostPort } = await printing('nb5', fixtureLines('jupyter-notebook5-host-or-loopback.log'));
    expect(detail.jupyter).toEqual({ url: `http://127.0.0.1:${hostPort}/?token=0123456789abcdef0123456789abcdef0123456789abcdef`, authenticated: true });
  });

  it('a server without authentication: the bare link, marked unauthenticated', async () => {
    const { detail, hostPort } = await printing('noauth', fixtureLines('jupyter-no-token.log'));
    expect(detail.jupyter).toEqual({ url: `http://127.0.0.1:${hostPort}/`, authenticated: false });
  });
});
