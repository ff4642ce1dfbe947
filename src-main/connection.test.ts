import { describe, expect, it } from 'vitest';
import type { BackupsState, EventName } from '@shared/contract';
import { connectionContext, connectionEvents } from './connection';
import { createBus } from './core/bus';

const backups: BackupsState = { dir: '/data/backups', backups: [], running: false, lastError: null, nextDueAt: null };

/** A connection over a real bus that records what reaches it. */
function recorder(bus = createBus()) {
  const got: { name: EventName; payload: unknown }[] = [];
  const conn = connectionContext(bus, (name, payload) => got.push({ name, payload }));
  return { bus, conn, got, names: () => got.map((g) => g.name) };
}

describe('connection events', () => {
  it('forwards only the bus events the connection subscribed to, until it unsubscribes', () => {
    const { bus, conn, names } = recorder();
    bus.emit('backups.changed', backups); // nothing subscribed yet
    expect(conn.events?.subscribe(['backups.changed', 'engines.changed'])).toEqual(['backups.changed', 'engines.changed']);
    expect(conn.events?.subscribe(['backups.changed'])).toEqual(['backups.changed', 'engines.changed']); // idempotent
    bus.emit('backups.changed', backups);
    bus.emit('engines.changed', []);
    bus.emit('status.changed', { level: 'ok', reasons: [], cpuPercent: 5, memoryPercent: 40, engine: 'connected' }); // not subscribed
    expect(conn.events?.unsubscribe(['backups.changed', 'status.changed'])).toEqual(['engines.changed']);
    bus.emit('backups.changed', backups);
    bus.emit('engines.changed', []);
    expect(names()).toEqual(['backups.changed', 'engines.changed', 'engines.changed']);
  });

  it('keeps two connections apart: each hears its own subscriptions and its own per-connection events', () => {
    const bus = createBus();
    const a = recorder(bus);
    const b = recorder(bus);
    a.conn.events?.subscribe(['engines.changed']);
    bus.emit('engines.changed', []);
    a.conn.events?.emit('logs.lines', { followId: 'f1', containerId: 'c', lines: [] });
    b.conn.events?.emit('logs.lines', { followId: 'f2', containerId: 'c', lines: [] });
    expect(a.got).toEqual([
      { name: 'engines.changed', payload: [] },
      { name: 'logs.lines', payload: { followId: 'f1', containerId: 'c', lines: [] } },
    ]);
    expect(b.got).toEqual([{ name: 'logs.lines', payload: { followId: 'f2', containerId: 'c', lines: [] } }]);
  });

  it('listens on the bus only while something is subscribed, and not at all once closed', () => {
    const bus = createBus();
    let listening = 0;
    const source = {
      onAny(handler: Parameters<typeof bus.onAny>[0]) {
        listening++;
        const off = bus.onAny(handler);
        return () => {
          listening--;
          off();
        };
      },
    };
    const got: string[] = [];
    const conn = connectionContext(source, (name) => got.push(name));
    expect(listening).toBe(0);
    conn.events?.subscribe(['engines.changed']);
    conn.events?.subscribe(['backups.changed']);
    expect(listening).toBe(1);
    conn.events?.unsubscribe(['engines.changed', 'backups.changed']);
    expect(listening).toBe(0);
    conn.events?.subscribe(['engines.changed']);
    conn.close();
    expect(listening).toBe(0);
    expect(conn.events?.subscribe(['engines.changed'])).toEqual([]); // a closed connection subscribes nothing
    bus.emit('engines.changed', []);
    conn.events?.emit('logs.lines', { followId: 'f', containerId: 'c', lines: [] });
    expect(got).toEqual([]);
    expect(listening).toBe(0);
  });

  it('a sink that throws loses its event without breaking the bus for anyone else', () => {
    const bus = createBus();
    const broken = connectionEvents(bus, () => {
      throw new Error('socket gone');
    });
    const healthy = recorder(bus);
    broken.subscribe(['engines.changed']);
    healthy.conn.events?.subscribe(['engines.changed']);
    expect(() => bus.emit('engines.changed', [])).not.toThrow();
    expect(() => broken.emit('logs.lines', { followId: 'f', containerId: 'c', lines: [] })).not.toThrow();
    expect(healthy.names()).toEqual(['engines.changed']);
  });
});
