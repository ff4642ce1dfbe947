// A probe label is written by whoever creates the container (any local Docker user), so the app
// must read a bad one as a bad label, not crash on it. Before: "http:80/ x" made http.get throw
// inside the judgement that the container's start event fired and nobody awaited (an unhandled
// rejection, which ends the process).
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import type { App } from '../app';
import { LABEL_MANAGED, LABEL_PROBE, LABEL_PROJECT } from '@shared/labels';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();

describe.skipIf(!docker)('a managed container with an invalid probe label, on the real engine', () => {
  const d = docker as Docker;
  let app: App;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    app = await startApp(tmpDataDir(), d);
    // Only the container's own Docker events judge it during the test: the timed check is an hour away.
    await call(app, 'settings.update', { patch: { health: { checkIntervalSeconds: 3600, probeTimeoutMs: 500 } } });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await removeTestContainers(d);
    await app?.dispose();
  });

  /** Created the way any Docker client can: straight through the Engine API, labels and all. */
  async function runLabelled(name: string, probe: string) {
    const c = await d.createContainer({
      Image: TEST_IMAGE,
      name: `mlenv-t-${name}-${RUN}`,
      Cmd: ['sleep', '3600'],
      Labels: { ...testLabels, [LABEL_MANAGED]: 'true', [LABEL_PROJECT]: 'default', [LABEL_PROBE]: probe },
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { Init: true, PortBindings: { '80/tcp': [{ HostPort: '' }] } },
    });
    await c.start();
    return c.id;
  }

  it.each([
    ['space', 'http:80/ x', /^probe label invalid: probe path "\/ x" has a space/],
    ['ctl', 'http:80/a\u0001b', /^probe label invalid: probe path .* control character/],
    ['port', 'http:70000/', /^probe label invalid: .*port 70000 is not 1–65535/],
    ['tcppath', 'tcp:80/x', /^probe label invalid: .*a tcp probe takes no path/],
    ['kind', 'udp:53', /^probe label invalid: .*is not kind:port\[\/path\]/],
  ])('judges a container labelled with a bad probe (%s) with the reason, without crashing', async (name, probe, reason) => {
    const id = await runLabelled(name, probe);
    // A crash of the judgement ends the wait at once, and the next line shows it.
    await waitFor(() => unhandled[0] ?? app.health.get(id), 10_000, `the start event's judgement of ${name}`);
    expect(unhandled).toEqual([]);
    const h = app.health.get(id)!;
    expect(h.state).toBe('warning');
    expect(h.reasons).toEqual([expect.stringMatching(reason)]);
    expect(h.probe).toBeNull(); // nothing was sent anywhere
    const rows = await call(app, 'events.list', { container: id });
    expect(rows.find((r) => r.type === 'health.warning')?.details).toMatchObject({ reasons: [expect.stringMatching(reason)] });
  });
});
