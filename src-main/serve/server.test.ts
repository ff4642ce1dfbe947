import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REQUEST_NAMES } from '@shared/contract';
import { createApp, type App } from '../core/app';
import { tmpDataDir } from '../test-support';
import { connectWs } from '../test-support/ws-client';
import { startServer } from './server';

const TOKEN = 'test-token-0123456789abcdef';
let app: App;
let server: Awaited<ReturnType<typeof startServer>>;
let base: string;

beforeAll(async () => {
  const staticDir = path.join(tmpDataDir(), 'renderer');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>MLEnv</title>');
  app = createApp({ dataDir: tmpDataDir(), version: 'test', sampleIntervalMs: 250 });
  await app.start();
  server = await startServer({ app, host: '127.0.0.1', port: 0, token: TOKEN, staticDir });
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  await app?.dispose();
});

const BEARER = { Authorization: `Bearer ${TOKEN}` };
const JSON_BEARER = { ...BEARER, 'Content-Type': 'application/json' };

/** A socket that collects frames; `call` resolves with the result frame of its id. */
const connect = (headers: Record<string, string> = BEARER, query = '') => connectWs(server.port, headers, query);

describe('serve mode', () => {
  it('answers /healthz without a token and 401 on /api without or with a wrong one, or with it in the query', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const none = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: { 'Content-Type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: { ...JSON_BEARER, Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: JSON_BEARER });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ ok: true, value: { name: 'MLEnv Desktop', version: 'test' } });
    const viaQuery = await fetch(`${base}/api/call/engine.get?token=${TOKEN}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(viaQuery.status).toBe(401);
  });

  it('takes POST bodies only as application/json, and only POST on /api/call', async () => {
    const plain = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: BEARER, body: '{}' }); // fetch says text/plain
    expect(plain.status).toBe(415);
    expect(await plain.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'send the request body as Content-Type: application/json' } });
    const form = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: { ...BEARER, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const withCharset = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: { ...BEARER, 'Content-Type': 'Application/JSON; charset=utf-8' }, body: '{}' });
    expect(withCharset.status).toBe(200);
    const get = await fetch(`${base}/api/call/app.info`, { headers: BEARER });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${base}/api/nothing`, { headers: BEARER })).status).toBe(404);
  });

  it('answers a body over 1 MiB with 413', async () => {
    const res = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: JSON_BEARER, body: `"${'x'.repeat(1024 * 1024 + 1)}"` });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { message: 'request body over 1048576 bytes' } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('maps HTTP API errors to status codes with the same envelope', async () => {
    const res = await fetch(`${base}/api/call/metrics.recent`, { method: 'POST', headers: JSON_BEARER, body: '{"seconds":0}' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const notJson = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: JSON_BEARER, body: '{oops' });
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'request body is not JSON' } });
  });

  it('refuses WebSocket upgrades without the token, with it in the query, or from another origin', async () => {
    await expect(connect({})).rejects.toThrow('HTTP 401');
    await expect(connect({ Authorization: 'Bearer wrong' })).rejects.toThrow('HTTP 401');
    await expect(connect({}, `?token=${TOKEN}`)).rejects.toThrow('HTTP 401');
    await expect(connect({ ...BEARER, Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const same = await connect({ ...BEARER, Origin: `http://localhost:${server.port}` });
    expect(await same.call('app.info', {})).toMatchObject({ ok: true });
    same.ws.close();
  });

  it('answers malformed payloads to every request with INVALID_INPUT and keeps serving', async () => {
    const c = await connect();
    const malformed: unknown[] = [42, 'text', [], { __unexpected__: true }, { seconds: { nested: [1, 2] }, patch: 'x' }];
    for (const name of REQUEST_NAMES) {
      for (const input of malformed) {
        const result = await c.call(name, input);
        expect(result, `${name} ← ${JSON.stringify(input)}`).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      }
    }
    expect(await c.call('no.such', {})).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: 'unknown request "no.such"' } });
    c.sendRaw('{not json');
    expect(await c.next((f) => f.type === 'result' && f.id === null)).toMatchObject({ result: { ok: false, error: { message: 'message is not JSON' } } });
    c.sendRaw(JSON.stringify({ type: 'call', name: 'app.info' }));
    // still serving, on the same socket and a new one
    expect(await c.call('app.info', {})).toMatchObject({ ok: true });
    const fresh = await connect();
    expect(await fresh.call('status.get', {})).toMatchObject({ ok: true });
    c.ws.close();
    fresh.ws.close();
    // and every failure is in the events journal
    expect(app.events.recent(5).every((e) => e.type === 'request.failed' || e.type.startsWith('engine.'))).toBe(true);
  });

  it('pushes metrics.snapshot events to a client that subscribed to them', async () => {
    const c = await connect();
    expect(await c.call('events.subscribe', { names: ['metrics.snapshot'] })).toEqual({ ok: true, value: { subscribed: ['metrics.snapshot'] } });
    const frame = await c.next((f) => f.type === 'event' && f.name === 'metrics.snapshot');
    expect(frame).toMatchObject({ type: 'event', name: 'metrics.snapshot', payload: { host: { cpu: { cores: expect.any(Number) } } } });
    c.ws.close();
  });

  it('serves the renderer, falls back to index.html for app routes, never leaves its folder', async () => {
    const index = await fetch(`${base}/`);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>MLEnv</title>');
    expect((await fetch(`${base}/history`)).status).toBe(200);
    expect((await fetch(`${base}/missing.js`)).status).toBe(404);
    const traversal = await fetch(`${base}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).not.toContain('root:');
  });

  it("reports where registry secrets live, with serve mode's plain-file warning (app.info)", async () => {
    const res = await fetch(`${base}/api/call/app.info`, { method: 'POST', headers: JSON_BEARER, body: '{}' });
    const body = (await res.json()) as { value: { secretStorage: { backend: string; warning: string | null } } };
    expect(body.value.secretStorage).toMatchObject({ backend: 'file', kind: 'file (secrets.json, mode 0600)' });
    expect(body.value.secretStorage.warning).toMatch(/unencrypted in secrets\.json/);
  });

  it('answers an INTERNAL failure with a generic sentence and the journal event id; the journal keeps the details', async () => {
    // A real failure inside the app: the backups folder is a file, so "Back up now" cannot create it.
    writeFileSync(path.join(app.config.dataDir, 'backups'), 'in the way');
    try {
      const call = () => fetch(`${base}/api/call/db.backup`, { method: 'POST', headers: JSON_BEARER, body: '{}' });
      const first = await call();
      expect(first.status).toBe(500);
      const body = (await first.json()) as { ok: false; error: { code: string; message: string; details: { eventId: number } } };
      const eventId = body.error.details.eventId;
      expect(body).toEqual({ ok: false, error: { code: 'INTERNAL', message: `Something went wrong inside MLEnv (journal event ${eventId})`, details: { eventId } } });
      expect(JSON.stringify(body)).not.toContain(app.config.dataDir);
      const row = app.events.recent(50).find((e) => e.id === eventId);
      expect(row).toMatchObject({ type: 'request.failed', outcome: 'error', details: { request: 'db.backup' }, count: 1 });
      expect(row!.error).toMatch(/^INTERNAL: EEXIST/);
      expect(row!.error).toContain(path.join(app.config.dataDir, 'backups'));
      // The same failure again is folded into the same row: the caller gets that row's id.
      expect(await (await call()).json()).toEqual(body);
      expect(app.events.recent(50).find((e) => e.id === eventId)).toMatchObject({ count: 2 });
    } finally {
      rmSync(path.join(app.config.dataDir, 'backups'));
    }
  });

  it('answers a request that fails outside the router the same way, journaled', async () => {
    const boom = await startServer({
      app,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      staticDir: '/nonexistent',
      routes: {
        '/metrics': () => {
          throw new Error('prom-client: registry at /srv/private broke');
        },
      },
    });
    try {
      const res = await fetch(`http://127.0.0.1:${boom.port}/metrics`, { headers: BEARER });
      expect(res.status).toBe(500);
      const body = (await res.json()) as { error: { message: string; details: { eventId: number } } };
      expect(body.error.message).toBe(`Something went wrong inside MLEnv (journal event ${body.error.details.eventId})`);
      expect(app.events.recent(50).find((e) => e.id === body.error.details.eventId)).toMatchObject({
        type: 'request.failed',
        error: 'INTERNAL: prom-client: registry at /srv/private broke',
        details: { path: '/metrics' },
      });
    } finally {
      await boom.close();
    }
  });

  it('reports a port already in use in plain words', async () => {
    await expect(startServer({ app, host: '127.0.0.1', port: server.port, token: TOKEN, staticDir: '/nonexistent' })).rejects.toThrow(
      `port ${server.port} on 127.0.0.1 is already in use`,
    );
  });
});
