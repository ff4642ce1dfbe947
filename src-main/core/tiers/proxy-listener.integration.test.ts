// The desktop's model proxy listener (core/tiers/proxy-service.ts) on the real engine, wired as the
// desktop app wires it (createApp with modelProxy) and driven through the router: off until the
// tiers.proxy setting enables it, then on 127.0.0.1 only, refusing a request without the token or to
// another Host, answering one with the token from a fake model server (woken by the request).
import type Docker from 'dockerode';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDocker, TEST_IMAGE, tmpDataDir, waitFor } from '../../test-support';
import { call, removeTestContainers, RUN, TEST_ADMISSION_POLICY, testLabels } from '../../test-support/docker-app';
import { fakeModelSpec } from '../../test-support/fake-model';
import { createApp, type App } from '../app';

const docker = await realDocker();

/** A port free on 127.0.0.1 now (the setting takes 1024–65535, so not 0). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** A raw request on a connection of its own (fetch cannot send another Host). */
const send = (port: number, path: string, headers: Record<string, string>, body?: string) =>
  new Promise<{ status: number; json: { error?: { code: string | null }; model?: string; authorization?: string } }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: body === undefined ? 'GET' : 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });

describe.skipIf(!docker)('the model proxy listener of the desktop app', () => {
  let app: App;
  const name = `pl${RUN}`;

  beforeAll(async () => {
    app = createApp({ dataDir: tmpDataDir(), version: 'test', docker: docker as Docker, sampleIntervalMs: 60_000, modelProxy: true });
    app.repositories.admission.savePolicy(JSON.stringify(TEST_ADMISSION_POLICY), Date.now(), 'user');
    await app.start();
    await waitFor(() => app.engine.get().state === 'connected', 10_000, 'engine connected');
    await call(app, 'models.add', { model: fakeModelSpec(name, { image: TEST_IMAGE, mib: 8, labels: testLabels }) });
  });
  afterAll(async () => {
    await app?.dispose();
    await removeTestContainers(docker as Docker);
  });

  it('listens on 127.0.0.1 only once enabled, refuses without the token or to another Host, and answers with it', async () => {
    const off = await call(app, 'tiers.proxyStatus', {});
    expect(off).toMatchObject({ enabled: false, port: 11435, offered: true, listening: false, url: null, error: null });
    expect(off.token!.length).toBeGreaterThanOrEqual(16);

    const port = await freePort();
    await call(app, 'settings.update', { patch: { tiers: { proxy: { port } } } });
    await call(app, 'settings.update', { patch: { tiers: { proxy: { enabled: true } } } }); // the port set before is kept
    const on = await waitFor(async () => {
      const s = await call(app, 'tiers.proxyStatus', {});
      return s.listening && s;
    }, 5_000, 'the proxy listening');
    expect(on).toMatchObject({ enabled: true, port, url: `http://127.0.0.1:${port}/v1`, token: off.token, error: null });

    const chat = JSON.stringify({ model: name, messages: [{ role: 'user', content: 'hi' }] });
    const json = { 'Content-Type': 'application/json' };
    const none = await send(port, '/v1/chat/completions', json, chat);
    expect(none.status).toBe(401);
    expect(none.json.error?.code).toBe('invalid_api_key');
    expect((await send(port, '/v1/chat/completions', { ...json, Authorization: 'Bearer not-the-token-at-all' }, chat)).status).toBe(401);
    const otherHost = await send(port, '/v1/models', { Host: `evil.example:${port}`, Authorization: `Bearer ${on.token}` });
    expect(otherHost.status).toBe(403);
    // Nothing was woken for the refused requests.
    expect((await call(app, 'models.list', {}))[0]!.tier).toBe('cold');

    const ok = await send(port, '/v1/chat/completions', { ...json, Authorization: `Bearer ${on.token}` }, chat);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ model: name, authorization: 'no' }); // answered by its server; the token stayed with the proxy

    await call(app, 'settings.update', { patch: { tiers: { proxy: { enabled: false } } } });
    await waitFor(async () => !(await call(app, 'tiers.proxyStatus', {})).listening, 5_000, 'the proxy stopped');
    await expect(send(port, '/v1/models', { Authorization: `Bearer ${on.token}` })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
