import { AppError } from '@shared/errors';
import type { Bridge, MlenvClient } from '@shared/wire';

type Listener = { fn: (payload: never) => void };

/** The renderer's client: the typed calls and events, and word of each reconnect. */
export interface RendererClient extends MlenvClient {
  /**
   * Runs `handler` after each reconnect of the transport, once the client has asked for its wanted
   * events again (so a snapshot loaded there misses no change); never under Electron, whose
   * connection is not lost. Returns the way to stop being told.
   */
  onReconnect(handler: () => void): () => void;
}

/**
 * Wraps an untyped bridge (Electron preload or WebSocket) in the one typed client. The connection
 * hears an event only while some listener here wants it: the first `on(name)` subscribes it
 * (`events.subscribe`), the last one gone unsubscribes it, changes made in one tick go as one
 * call each way, and after a reconnect every wanted name is subscribed again.
 */
export function createClient(bridge: Bridge): RendererClient {
  const listeners = new Map<string, Set<Listener>>();
  const reconnected = new Set<() => void>();
  /** The names this client has asked the connection for. */
  let asked = new Set<string>();
  let syncQueued = false;

  const ask = (request: 'events.subscribe' | 'events.unsubscribe', names: string[]) =>
    void bridge.call(request, { names }).then((r) => {
      if (!r.ok) console.warn(`${request} ${names.join(', ')}: ${r.error.message}`);
    });
  /** Brings the connection's subscriptions in line with the listeners, once per tick. */
  const sync = () => {
    if (syncQueued) return;
    syncQueued = true;
    queueMicrotask(() => {
      syncQueued = false;
      const add = [...listeners.keys()].filter((n) => !asked.has(n));
      const drop = [...asked].filter((n) => !listeners.has(n));
      asked = new Set(listeners.keys());
      if (add.length) ask('events.subscribe', add);
      if (drop.length) ask('events.unsubscribe', drop);
    });
  };

  bridge.subscribe((name, payload) => listeners.get(name)?.forEach((l) => l.fn(payload as never)));
  bridge.onReconnect?.(() => {
    asked = new Set();
    sync();
    // After sync's microtask: the subscribe frame goes out before any snapshot call a handler makes.
    queueMicrotask(() => reconnected.forEach((h) => h()));
  });
  return {
    async call(name, input) {
      const result = await bridge.call(name, input);
      if (!result.ok) throw AppError.fromBody(result.error);
      return result.value as never;
    },
    onReconnect(handler) {
      const h = () => handler();
      reconnected.add(h);
      return () => reconnected.delete(h);
    },
    on(name, handler) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      const listener: Listener = { fn: handler as (p: never) => void };
      set.add(listener);
      sync();
      return () => {
        if (!set.delete(listener) || set.size > 0) return;
        listeners.delete(name);
        sync();
      };
    },
  };
}
