// Scoped events over real WebSockets to a real serve: a connection hears the bus events it
// subscribed to and no others, and a log follow's lines go to the connection that opened it only
// (a real container on the real engine printing lines).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_NAMES, type EventPayload } from '@shared/contract';
import type { ServerFrame } from '@shared/wire';
import { createApp, type App } from '../core/app';
import { realDocker, TEST_IMAGE, TEST_LABEL, tmpDataDir, waitFor } from '../test-support';
import { TEST_ADMISSION_POLICY } from '../test-support/docker-app';
import { connectWs, type TestSocket } from '../test-support/ws-client';
import { startServer } from './server';

const TOKEN = 'test-token-events-0123456789';
const BEARER = { Authorization: `Bearer ${TOKEN}` };
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const docker = await realDocker();

let app: App;
let server: Awaited<ReturnType<typeof startServer>>;
const open: TestSocket[] = [];
async function connect() {
  const s = await connectWs(server.port, BEARER);
  open.push(s);
  return s;
}

beforeAll(async () => {
  const staticDir = path.join(tmpDataDir(), 'renderer');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>MLEnv</title>');
  app = createApp({ dataDir: tmpDataDir(), version: 'test', sampleIntervalMs: 100, docker });
  app.repositories.admission.savePolicy(JSON.stringify(TEST_ADMISSION_POLICY), Date.now(), 'user'); // the launch below is not about admission
  await app.start();
  server = await startServer({ app, host: '127.0.0.1', port: 0, token: TOKEN, staticDir });
});
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  if (docker) {
    const list = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${RUN}`] } });
    await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  }
  await server?.close();
  await app?.dispose();
});

const isEvent = (name: string) => (f: ServerFrame) => f.type === 'event' && f.name === name;
const eventsNamed = (s: TestSocket, name: string) => s.frames.filter(isEvent(name));
/** Where in s.frames the result of this call landed: every event sent before it lies before it. */
async function callAt(s: TestSocket, name: string, input: unknown) {
  const result = await s.call(name, input);
  const at = s.frames.findIndex((f) => f.type === 'result' && f.result === result);
  return { result, at };
}

describe('scoped events over WebSockets', () => {
  it('sends metrics.snapshot to the connection that subscribed, none to the one that did not, and stops on unsubscribe', async () => {
    const subscribed = await connect();
    const other = await connect();
    expect(await subscribed.call('events.subscribe', { names: ['metrics.snapshot'] })).toEqual({ ok: true, value: { subscribed: ['metrics.snapshot'] } });
    expect(await other.call('events.subscribe', { names: ['engines.changed'] })).toEqual({ ok: true, value: { subscribed: ['engines.changed'] } });
    await waitFor(() => eventsNamed(subscribed, 'metrics.snapshot').length >= 3, 10_000, 'three snapshots on the subscribed connection');
    // A round trip on the other socket: any snapshot the server had sent it would arrive before this reply.
    await other.call('app.info', {});
    expect(eventsNamed(other, 'metrics.snapshot')).toEqual([]);

    const { at } = await callAt(subscribed, 'events.unsubscribe', { names: ['metrics.snapshot'] });
    const seenBefore = eventsNamed(subscribed, 'metrics.snapshot').length;
    // The other connection subscribes now: once it has had two snapshots, the first has stopped hearing them.
    await other.call('events.subscribe', { names: ['metrics.snapshot'] });
    await waitFor(() => eventsNamed(other, 'metrics.snapshot').length >= 2, 10_000, 'two snapshots on the newly subscribed connection');
    await subscribed.call('app.info', {});
    expect(subscribed.frames.slice(at + 1).filter(isEvent('metrics.snapshot'))).toEqual([]);
    expect(eventsNamed(subscribed, 'metrics.snapshot')).toHaveLength(seenBefore);
  });

  it('refuses unknown event names, an empty list and more names than exist with INVALID_INPUT', async () => {
    const s = await connect();
    expect(await s.call('events.subscribe', { names: ['metrics.snapshot', 'no.such'] })).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'events.subscribe: names.1: unknown event "no.such"', details: expect.any(Array) },
    });
    expect(await s.call('events.unsubscribe', { names: ['__proto__'] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await s.call('events.subscribe', { names: [] })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const tooMany = [...EVENT_NAMES, EVENT_NAMES[0]];
    expect(await s.call('events.subscribe', { names: tooMany })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await s.call('events.subscribe', { names: 'metrics.snapshot' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // Nothing was subscribed by the refused calls.
    expect(await s.call('events.unsubscribe', { names: ['metrics.snapshot'] })).toEqual({ ok: true, value: { subscribed: [] } });
  });

  it('refuses events.subscribe and logs.follow over plain HTTP, which cannot receive events', async () => {
    const post = (name: string, body: unknown) =>
      fetch(`http://127.0.0.1:${server.port}/api/call/${name}`, { method: 'POST', headers: { ...BEARER, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const sub = await post('events.subscribe', { names: ['metrics.snapshot'] });
    expect(sub.status).toBe(501);
    expect(await sub.json()).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringContaining('needs a connection that receives events') } });
    const follow = await post('logs.follow', { id: 'anything' });
    expect(follow.status).toBe(501);
    expect(await follow.json()).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED', message: expect.stringContaining('over plain HTTP use logs.tail') } });
  });

  it.skipIf(!docker)("sends a follow's logs.lines only to the connection that opened it", async () => {
    await waitFor(() => app.engine.get().state === 'connected', 10_000, 'engine connected');
    const launched = await app.router.dispatch('containers.launch', {
      image: TEST_IMAGE,
      name: `mlenv-t-scoped-${RUN}`,
      command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo line-$i; sleep 0.1; done'],
      init: true,
      labels: { [TEST_LABEL]: RUN },
    });
    if (!launched.ok) throw new Error(launched.error.message);
    const c = launched.value as { id: string };

    const follower = await connect();
    const bystander = await connect();
    const eavesdropper = await connect();
    // Subscribing to logs.lines by name gives no one else's lines.
    expect(await eavesdropper.call('events.subscribe', { names: ['logs.lines'] })).toMatchObject({ ok: true });
    const opened = await follower.call('logs.follow', { id: c.id, tail: 0 });
    if (!opened.ok) throw new Error(opened.error.message);
    const { followId } = opened.value as { followId: string };
    const linesOf = (s: TestSocket) => eventsNamed(s, 'logs.lines').map((f) => (f as { payload: EventPayload<'logs.lines'> }).payload);

    await waitFor(() => linesOf(follower).flatMap((p) => p.lines).filter((l) => l.text.startsWith('line-')).length >= 5, 10_000, 'five followed lines');
    expect(linesOf(follower).every((p) => p.followId === followId && p.containerId === c.id)).toBe(true);
    // Round trips: any line the server had sent these sockets would arrive before their replies.
    await bystander.call('app.info', {});
    await eavesdropper.call('app.info', {});
    expect(linesOf(bystander)).toEqual([]);
    expect(linesOf(eavesdropper)).toEqual([]);

    // The follower's own unfollow ends it; the others still heard nothing.
    expect(await follower.call('logs.unfollow', { followId })).toEqual({ ok: true, value: { stopped: true } });
    await bystander.call('app.info', {});
    await eavesdropper.call('app.info', {});
    expect(linesOf(bystander)).toEqual([]);
    expect(linesOf(eavesdropper)).toEqual([]);
    await app.router.dispatch('containers.remove', { id: c.id, force: true });
  });
});
