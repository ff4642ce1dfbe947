// The OpenAI-compatible proxy in serve mode, on the real engine with three fake model servers and a
// RAM budget that holds two: concurrent requests for all three are each answered (held while their
// model wakes, evictions as planned) while the memory the cgroups report never exceeds the budget;
// streams pass through unchanged; "auto" selects; errors come in OpenAI's shape; the caller's token
// never reaches a model server.
import type Docker from 'dockerode';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realDocker, TEST_IMAGE, tmpDataDir } from '../../test-support';
import { call, removeTestContainers, RUN, startApp, testLabels } from '../../test-support/docker-app';
import { fakeModelSpec } from '../../test-support/fake-model';
import { startServer } from '../../serve/server';
import type { App } from '../app';
import { readContainerMemory } from '../cgroup';

const docker = await realDocker();
const MIB = 2 ** 20;
const TOKEN = 'proxy-test-token-0123456789';
const BUDGET = 100 * MIB;

describe.skipIf(!docker)('the model proxy in serve mode', () => {
  const d = docker as Docker;
  let app: App;
  let server: Awaited<ReturnType<typeof startServer>>;
  let base: string;
  const names = ['a', 'b', 'c'].map((x) => `p${RUN}-${x}`);
  const headers = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };
  const chat = (model: string, more: object = {}) =>
    fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...more }) });

  beforeAll(async () => {
    app = await startApp(tmpDataDir(), d);
    await call(app, 'tiers.setLimits', { patch: { ramBudgetBytes: BUDGET, safetyMarginBytes: 4 * MIB, idleDemoteSeconds: null } });
    // a: best quality; c: the only one that embeds.
    await call(app, 'models.add', { model: fakeModelSpec(names[0]!, { image: TEST_IMAGE, mib: 32, labels: testLabels, quality: 0.9 }) });
    await call(app, 'models.add', { model: fakeModelSpec(names[1]!, { image: TEST_IMAGE, mib: 32, labels: testLabels, quality: 0.3 }) });
    await call(app, 'models.add', { model: fakeModelSpec(names[2]!, { image: TEST_IMAGE, mib: 32, labels: testLabels, quality: 0.3, capabilities: ['embedding'] }) });
    const staticDir = path.join(tmpDataDir(), 'renderer');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>MLEnv</title>');
    server = await startServer({ app, host: '127.0.0.1', port: 0, token: TOKEN, staticDir });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
    await app?.dispose();
    await removeTestContainers(d);
  });

  it('answers 10 concurrent requests for three models with a budget for two, the cgroups never over budget', async () => {
    // Memory as the kernel counts it, sampled independently of the tier manager while the requests run.
    let maxBytes = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const ids = (await call(app, 'models.list', {})).map((m) => m.containerId).filter((x): x is string => x !== null);
        let sum = 0;
        for (const id of ids) {
          try {
            sum += readContainerMemory(id).usage;
          } catch {
            // stopped: no cgroup, no memory
          }
        }
        maxBytes = Math.max(maxBytes, sum);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const order = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0].map((i) => names[i]!);
    const answers = await Promise.all(
      order.map(async (m) => {
        const r = m === names[2] ? await fetch(`${base}/v1/embeddings`, { method: 'POST', headers, body: JSON.stringify({ model: m, input: 'x' }) }) : await chat(m);
        return { m, status: r.status, body: (await r.json()) as { model: string; asked: string; error?: unknown } };
      }),
    );
    sampling = false;
    await sampler;
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.model).toBe(a.m); // answered by that model's own server
    }
    expect(maxBytes).toBeGreaterThan(32 * MIB);
    expect(maxBytes).toBeLessThanOrEqual(BUDGET);
    // Three models through a budget for two: at least one was evicted on the way, and every move was recorded.
    const events = await call(app, 'tiers.scalingEvents', { limit: 100 });
    expect(events.some((e) => e.type === 'scale_down' && e.trigger === 'ensure')).toBe(true);
    const finished = (await call(app, 'tiers.jobs', { limit: 100 })).filter((j) => j.state !== 'queued' && j.state !== 'running' && j.state !== 'verifying');
    expect(events.length).toBe(finished.length);
  });

  it('passes a stream of server-sent events through unchanged', async () => {
    const m = (await call(app, 'models.list', {})).find((x) => x.tier === 'hot' && x.capabilities.includes('chat'))!;
    const body = JSON.stringify({ model: m.name, stream: true, messages: [] });
    const proxied = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body });
    expect(proxied.status).toBe(200);
    expect(proxied.headers.get('content-type')).toBe('text/event-stream');
    expect(proxied.headers.get('x-mlenv-model')).toBe(m.name);
    const text = await proxied.text();
    const direct = await (await fetch(`http://127.0.0.1:${m.hostPort}/v1/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).text();
    expect(text).toBe(direct);
    expect(text.trim().split('\n\n')).toHaveLength(4);
    expect(text).toContain('data: [DONE]');
  });

  it('selects for model "auto" by the endpoint\'s task, and keeps the caller\'s token from the model server', async () => {
    const r = await chat('auto');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { model: string; asked: string; authorization: string };
    // a has the best quality among those that generate text.
    expect(body.model).toBe(names[0]);
    expect(r.headers.get('x-mlenv-model')).toBe(names[0]);
    // The server is told the model it serves; the Bearer token stayed with the proxy.
    expect(body.asked).toBe(names[0]);
    expect(body.authorization).toBe('no');
    const e = await fetch(`${base}/v1/embeddings`, { method: 'POST', headers, body: JSON.stringify({ model: 'auto', input: 'x' }) });
    expect(((await e.json()) as { model: string }).model).toBe(names[2]);
  });

  it('answers errors in OpenAI\'s shape, behind the same token and Host checks as the rest of serve', async () => {
    const unknown = await chat(`p${RUN}-nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'model_not_found', param: 'model' } });
    const noModel = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ messages: [] }) });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toMatchObject({ error: { param: 'model' } });
    const notJson = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body: '{"model":' });
    expect(notJson.status).toBe(400);
    const big = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model: names[0], pad: 'x'.repeat(9 * MIB) }) });
    expect(big.status).toBe(413);
    const noToken = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(noToken.status).toBe(401);
    expect(await noToken.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
    const list = await fetch(`${base}/v1/models`, { headers });
    expect(((await list.json()) as { data: { id: string }[] }).data.map((x) => x.id).sort()).toEqual([...names].sort());
    // A Host we do not serve is refused before anything else (as for /api).
    const host = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/v1/models', headers: { Host: 'evil.example', Authorization: `Bearer ${TOKEN}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(host).toBe(403);
  });
});
