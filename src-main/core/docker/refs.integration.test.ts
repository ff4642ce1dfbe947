// Names in requests reach Engine API paths (/images/{name}, /containers/{id}/…). Over a TCP engine
// docker-modem builds a URL, and a URL resolves "..": before, `images.remove` with ref
// "../containers/<id>" became DELETE /containers/<id> and removed a container the app does not
// manage (past the managed-only guard). The engine here is the real one, reached over TCP through a
// plain byte relay to its socket, as a remote engine would be.
import type Docker from 'dockerode';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '@shared/errors';
import { realDocker, TEST_IMAGE, TEST_LABEL, tmpDataDir, waitFor } from '../../test-support';
import type { App } from '../app';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();
const SOCKET = '/var/run/docker.sock';

describe.skipIf(!docker)('names that reach Engine API paths, on the real engine over TCP', () => {
  const d = docker as Docker;
  let app: App;
  let relay: net.Server;
  let engine: string;
  const volume = `mlenv-t-vol-${RUN}`;

  beforeAll(async () => {
    relay = net.createServer((client) => {
      const upstream = net.connect(SOCKET);
      client.pipe(upstream).pipe(client);
      const close = () => (client.destroy(), upstream.destroy());
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    app = await startApp(tmpDataDir(), d);
    const port = (relay.address() as net.AddressInfo).port;
    engine = (await call(app, 'engines.add', { kind: 'tcp', name: `relay-${RUN}`, host: '127.0.0.1', port })).id;
    await waitFor(async () => (await call(app, 'engines.list', {})).find((e) => e.id === engine)?.status.state === 'connected', 10_000, 'the TCP engine');
    await d.createVolume({ Name: volume, Labels: { [TEST_LABEL]: RUN } });
  });
  afterAll(async () => {
    await removeTestContainers(d);
    await d.getVolume(volume).remove().catch(() => undefined);
    await app?.dispose();
    relay?.close();
  });

  it('refuses image refs that climb out of /images, before any engine call, and removes nothing', async () => {
    // Not ours: created straight through the Engine API, no io.mlenv.managed label.
    const victim = await d.createContainer({ Image: TEST_IMAGE, name: `mlenv-t-victim-${RUN}`, Cmd: ['true'], Labels: testLabels });
    const refs = [`../containers/${victim.id}`, `../containers/mlenv-t-victim-${RUN}`, `..%2Fcontainers%2F${victim.id}`, `../volumes/${volume}`, `busybox/../../containers/${victim.id}`];
    for (const ref of refs) {
      const err = await call(app, 'images.remove', { ref, engine, force: true }).catch((e: AppError) => e);
      expect(err, ref).toBeInstanceOf(AppError);
      expect(err, ref).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^images\.remove: ref: ".*" is not an image reference: /) });
    }
    expect((await victim.inspect()).Id).toBe(victim.id);
    expect((await d.getVolume(volume).inspect()).Name).toBe(volume);
    // Refused at the contract: no image.remove was attempted, only the failed requests are journaled.
    const rows = await call(app, 'events.list', { type: 'image.remove' });
    expect(rows).toEqual([]);
  });

  it('refuses container ids and names that are not ids or names, on every container request', async () => {
    const victim = await d.createContainer({ Image: TEST_IMAGE, name: `mlenv-t-victim2-${RUN}`, Cmd: ['true'], Labels: testLabels });
    const short = victim.id.slice(0, 12);
    for (const id of [`../containers/${short}`, `${short}/../../containers/${short}`, `${short}/stop`, 'a b', '..']) {
      for (const name of ['containers.remove', 'containers.stop', 'containers.inspect', 'logs.tail'] as const) {
        const err = await call(app, name, { id, engine }).catch((e: AppError) => e);
        expect(err, `${name} ${id}`).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('is neither a container id') });
      }
      const report = await call(app, 'health.report', { id }).catch((e: AppError) => e);
      expect(report, id).toMatchObject({ code: 'INVALID_INPUT' });
    }
    expect((await victim.inspect()).Id).toBe(victim.id);
  });

  it('still removes an image by tag and by id (sha256:<hex>, as images.list gives it) through the TCP engine', async () => {
    const base = await d.createContainer({ Image: TEST_IMAGE, Cmd: ['true'], Labels: testLabels });
    const repo = `mlenv-t-img-${RUN}`;
    // Images of this test's own (a commit makes a new image id), so the shared test image is never touched.
    const a = (await base.commit({ repo, tag: 'a' })) as { Id: string };
    expect(await call(app, 'images.remove', { ref: ` ${repo}:a `, engine })).toEqual({ removed: [`${repo}:a`, a.Id] });
    const b = (await base.commit({ repo, tag: 'b' })) as { Id: string };
    expect(b.Id).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(await call(app, 'images.remove', { ref: b.Id, engine, force: true })).toEqual({ removed: [`${repo}:b`, b.Id] });
  });
});
