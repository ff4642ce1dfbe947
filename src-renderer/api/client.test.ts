import { describe, expect, it } from 'vitest';
import type { Envelope } from '@shared/errors';
import type { Bridge } from '@shared/wire';
import { createClient } from './client';

/**
 * A bridge that behaves like one connection: it keeps the subscribed names as the server would,
 * delivers an event only when subscribed (or when it is the connection's own), and can drop and
 * reopen the connection (which forgets its subscriptions, as a new socket does).
 */
function fakeBridge(opts: { reconnects?: boolean } = {}) {
  const calls: { name: string; input: unknown }[] = [];
  let subscribed = new Set<string>();
  const handlers = new Set<(name: string, payload: unknown) => void>();
  const reconnected = new Set<() => void>();
  const bridge: Bridge = {
    async call(name, input): Promise<Envelope<unknown>> {
      calls.push({ name, input });
      const names = (input as { names: string[] }).names;
      if (name === 'events.subscribe') names.forEach((n) => subscribed.add(n));
      else if (name === 'events.unsubscribe') names.forEach((n) => subscribed.delete(n));
      else return { ok: false, error: { code: 'NOT_FOUND', message: `no ${name} here` } };
      return { ok: true, value: { subscribed: [...subscribed] } };
    },
    subscribe(h) {
      handlers.add(h);
      return () => handlers.delete(h);
    },
  };
  if (opts.reconnects) {
    bridge.onReconnect = (h) => {
      reconnected.add(h);
      return () => reconnected.delete(h);
    };
  }
  return {
    bridge,
    calls,
    subscribed: () => [...subscribed].sort(),
    /** What the server sends on the bus: only to a subscribed connection. */
    publish(name: string, payload: unknown) {
      if (subscribed.has(name)) handlers.forEach((h) => h(name, payload));
    },
    reconnect() {
      subscribed = new Set();
      reconnected.forEach((h) => h());
    },
  };
}
/** Lets the client's once-per-tick sync and the fake's replies run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('renderer client subscriptions', () => {
  it('subscribes a name with its first listener and unsubscribes it with its last', async () => {
    const f = fakeBridge();
    const api = createClient(f.bridge);
    const seen: string[] = [];
    const offA = api.on('engines.changed', () => seen.push('a'));
    await settle();
    expect(f.subscribed()).toEqual(['engines.changed']);
    const offB = api.on('engines.changed', () => seen.push('b'));
    await settle();
    f.publish('engines.changed', []);
    expect(seen).toEqual(['a', 'b']);
    offA();
    offA(); // a second off of the same listener changes nothing
    await settle();
    expect(f.subscribed()).toEqual(['engines.changed']); // b still listens
    f.publish('engines.changed', []);
    expect(seen).toEqual(['a', 'b', 'b']);
    offB();
    await settle();
    expect(f.subscribed()).toEqual([]);
    expect(f.calls).toEqual([
      { name: 'events.subscribe', input: { names: ['engines.changed'] } },
      { name: 'events.unsubscribe', input: { names: ['engines.changed'] } },
    ]);
  });

  it('counts each registration, even of the same function twice', async () => {
    const f = fakeBridge();
    const api = createClient(f.bridge);
    const fn = () => undefined;
    const off1 = api.on('alerts.raised', fn);
    const off2 = api.on('alerts.raised', fn);
    off1();
    await settle();
    expect(f.subscribed()).toEqual(['alerts.raised']);
    off2();
    await settle();
    expect(f.subscribed()).toEqual([]);
  });

  it('sends what changed in one tick as one call each way, and nothing for an on/off pair', async () => {
    const f = fakeBridge();
    const api = createClient(f.bridge);
    const offs = [api.on('engine.status', () => undefined), api.on('status.changed', () => undefined), api.on('metrics.snapshot', () => undefined)];
    api.on('backups.changed', () => undefined)(); // mounted and unmounted at once (React StrictMode)
    await settle();
    expect(f.calls).toEqual([{ name: 'events.subscribe', input: { names: ['engine.status', 'status.changed', 'metrics.snapshot'] } }]);
    offs[0]!();
    offs[1]!();
    api.on('pull.progress', () => undefined);
    await settle();
    expect(f.calls.slice(1)).toEqual([
      { name: 'events.subscribe', input: { names: ['pull.progress'] } },
      { name: 'events.unsubscribe', input: { names: ['engine.status', 'status.changed'] } },
    ]);
    expect(f.subscribed()).toEqual(['metrics.snapshot', 'pull.progress']);
  });

  it('subscribes every wanted name again after a reconnect, and no name nobody wants', async () => {
    const f = fakeBridge({ reconnects: true });
    const api = createClient(f.bridge);
    const got: unknown[] = [];
    api.on('metrics.snapshot', (s) => got.push(s));
    const off = api.on('health.changed', () => undefined);
    await settle();
    off();
    f.reconnect(); // the server forgot everything
    await settle();
    expect(f.subscribed()).toEqual(['metrics.snapshot']);
    f.publish('metrics.snapshot', { ts: 1 });
    expect(got).toEqual([{ ts: 1 }]);
    expect(f.calls.at(-1)).toEqual({ name: 'events.subscribe', input: { names: ['metrics.snapshot'] } });
  });

  it('tells onReconnect listeners after a reconnect, once the wanted names are asked for again', async () => {
    const f = fakeBridge({ reconnects: true });
    const api = createClient(f.bridge);
    const order: string[] = [];
    api.on('containers.changed', () => undefined);
    const off = api.onReconnect(() => order.push(`reload after ${f.calls.length} calls: ${f.calls.at(-1)?.name}`));
    await settle();
    expect(order).toEqual([]); // the first connection is no reconnect
    f.reconnect();
    await settle();
    expect(order).toEqual(['reload after 2 calls: events.subscribe']);
    off();
    f.reconnect();
    await settle();
    expect(order).toHaveLength(1);
  });

  it('delivers only to listeners of the event that arrived, and calls still reject typed', async () => {
    const f = fakeBridge();
    const api = createClient(f.bridge);
    const seen: string[] = [];
    api.on('engines.changed', () => seen.push('engines'));
    api.on('backups.changed', () => seen.push('backups'));
    await settle();
    f.publish('engines.changed', []);
    expect(seen).toEqual(['engines']);
    await expect(api.call('app.info', {})).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no app.info here' });
  });
});
