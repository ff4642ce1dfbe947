// A registry login reaches the engine as the X-Registry-Auth header (base64 JSON, password inside).
// Before, a pull on an engine reached over plain TCP sent it as readable bytes. Here the real engine is
// reached over TCP through a byte relay that keeps everything the app sends, and a real registry on
// 127.0.0.1 serves the image: the header, the password and its base64 must never pass the relay.
import type Docker from 'dockerode';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullProgress } from '@shared/contract';
import { AppError } from '@shared/errors';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import type { App } from '../app';
import { pushLayeredImage, startRegistry } from '../../test-support/registry-fixture';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';

const docker = await realDocker();
const SOCKET = '/var/run/docker.sock';

describe.skipIf(!docker)('registry logins and engines reached over plain TCP', () => {
  const d = docker as Docker;
  let app: App;
  let relay: net.Server;
  let registry: Awaited<ReturnType<typeof startRegistry>>;
  let tcpEngine: string;
  let ref: string;
  const sent: Buffer[] = [];
  const secret = `pw-${RUN}-TOPSECRET`;
  const wire = () => Buffer.concat(sent).toString('latin1');

  beforeAll(async () => {
    relay = net.createServer((client) => {
      const upstream = net.connect(SOCKET);
      client.on('data', (b: Buffer) => sent.push(Buffer.from(b)));
      client.pipe(upstream).pipe(client);
      const close = () => (client.destroy(), upstream.destroy());
      client.on('error', close);
      upstream.on('error', close);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    registry = await startRegistry();
    ref = `${registry.host}/mlenv-test/creds:${RUN}`;
    await pushLayeredImage(d, TEST_IMAGE, ref, registry.host, 1, testLabels);
    app = await startApp(tmpDataDir(), d);
    const port = (relay.address() as net.AddressInfo).port;
    tcpEngine = (await call(app, 'engines.add', { kind: 'tcp', name: `plain-${RUN}`, host: '127.0.0.1', port })).id;
    await waitFor(async () => (await call(app, 'engines.list', {})).find((e) => e.id === tcpEngine)?.status.state === 'connected', 10_000, 'the TCP engine');
  }, 120_000);
  afterAll(async () => {
    await d.getImage(ref).remove({ force: true }).catch(() => undefined);
    await removeTestContainers(d);
    await app?.dispose();
    relay?.close();
    await registry?.stop();
  });

  it('marks the plain-TCP engine cleartext, and the local socket not', async () => {
    const engines = await call(app, 'engines.list', {});
    expect(engines.find((e) => e.id === tcpEngine)).toMatchObject({ kind: 'tcp', cleartext: true });
    expect(engines.find((e) => e.id === 'local')).toMatchObject({ kind: 'local', cleartext: false });
  });

  it('pulls without the stored login, says so, and no credential crosses the TCP connection', async () => {
    await call(app, 'registries.login', { registry: registry.host, username: 'alice', secret });
    const seen: PullProgress[] = [];
    const off = app.bus.on('pull.progress', (p) => p.ref === ref && seen.push(p));
    const before = sent.length;
    const final = await call(app, 'images.pull', { ref, engine: tcpEngine });
    off();
    const bytes = Buffer.concat(sent.slice(before)).toString('latin1');
    expect(bytes).toContain('POST /images/create?fromImage='); // the pull did go through the relay …
    expect(bytes.toLowerCase()).not.toContain('x-registry-auth'); // … without the login
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain(Buffer.from(secret).toString('base64').slice(0, 16));
    expect(bytes).not.toContain(Buffer.from(JSON.stringify({ username: 'alice' })).toString('base64').slice(0, 12));

    expect(final.done).toBe(true);
    expect(final.error).toBeUndefined();
    const warning = `pulled without your ${registry.host} login: engine plain-${RUN} is reached over plain TCP without TLS, where the password would cross the network readable`;
    expect(final.warning).toBe(warning);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((p) => p.warning === warning)).toBe(true);

    const [row] = await call(app, 'events.list', { type: 'image.pull', limit: 1 });
    expect(row).toMatchObject({ image: ref, outcome: 'ok', details: expect.objectContaining({ credentialsWithheld: registry.host, warning }) });
  });

  it('refuses a pull from nvcr.io with a stored NGC key, before anything reaches the engine', async () => {
    await call(app, 'registries.login', { registry: 'nvcr.io', username: '$oauthtoken', secret: `nvapi-${secret}` });
    const before = sent.length;
    const err = await call(app, 'images.pull', { ref: 'nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04', engine: tcpEngine }).catch((e: AppError) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({
      code: 'UNSUPPORTED',
      message: `pull nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04: engine plain-${RUN} is reached over plain TCP without TLS, and nvcr.io needs your NGC API key, which would cross the network readable; add the engine with TLS or over SSH, or pull on its host`,
    });
    const bytes = Buffer.concat(sent.slice(before)).toString('latin1');
    expect(bytes).not.toContain('/images/create');
    expect(bytes).not.toContain(secret);
    expect(wire()).not.toContain(secret);
    expect(wire().toLowerCase()).not.toContain('x-registry-auth');
    const [row] = await call(app, 'events.list', { type: 'image.pull', limit: 1 });
    expect(row).toMatchObject({ image: 'nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04', outcome: 'error', details: { credentialsWithheld: 'nvcr.io' } });
  });
});
