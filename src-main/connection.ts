// A caller's connection (a WebSocket, the app's window, the control socket): what it opened ends
// with it, and it hears the bus events it subscribed to plus the events that are its alone.
import type { Actor, ConnectionEventName, EventName, EventPayload } from '@shared/contract';
import { log } from './core/log';

/** Delivers one event to one connection (writes a frame, sends over IPC). */
export type EventSink = (name: EventName, payload: unknown) => void;

/** Where bus events come from: the core's bus (`Bus.onAny`), or anything shaped like it. */
export interface EventSource {
  onAny(handler: (name: EventName, payload: unknown) => void): () => void;
}

/** One connection's events: the bus events it subscribed to, and those addressed to it alone. */
export interface ConnectionEvents {
  /** Forwards these bus events from now on; returns every name now subscribed. Idempotent. */
  subscribe(names: readonly EventName[]): EventName[];
  /** Stops forwarding these; names never subscribed are ignored. Returns every name still subscribed. */
  unsubscribe(names: readonly EventName[]): EventName[];
  /** Sends an event to this connection only (e.g. the lines of a log follow it opened). Dropped once closed. */
  emit<E extends ConnectionEventName>(name: E, payload: EventPayload<E>): void;
}

/**
 * A connection's events over `source`, delivered to `sink`. Listens on the bus only while
 * something is subscribed; `close()` stops everything. A sink that throws loses that one event,
 * and the bus's other listeners never see the error.
 */
export function connectionEvents(source: EventSource, sink: EventSink): ConnectionEvents & { close(): void } {
  const names = new Set<EventName>();
  let off: (() => void) | undefined;
  let closed = false;
  const deliver = (name: EventName, payload: unknown) => {
    try {
      sink(name, payload);
    } catch (e) {
      log.warn('event not delivered to a connection', { event: name, message: (e as Error).message });
    }
  };
  return {
    subscribe(list) {
      if (closed) return [];
      for (const n of list) names.add(n);
      off ??= source.onAny((name, payload) => names.has(name) && deliver(name, payload));
      return [...names];
    },
    unsubscribe(list) {
      for (const n of list) names.delete(n);
      if (names.size === 0) {
        off?.();
        off = undefined;
      }
      return [...names];
    },
    emit(name, payload) {
      if (!closed) deliver(name, payload);
    },
    close() {
      closed = true;
      names.clear();
      off?.();
      off = undefined;
    },
  };
}

/** Who is asking: lets a handler tie what it opens (a log follow) to the caller's connection. */
export interface CallContext {
  /** Runs fn when the caller goes away (socket closed, window reloaded); at once if already gone. */
  onDisconnect(fn: () => void): void;
  /** The connection's events; absent where nothing can receive them (plain HTTP, a CLI core of its own). */
  readonly events?: ConnectionEvents;
  /** Who is acting, journaled on every container operation: 'user' (the app, a browser, the HTTP API) unless the transport says otherwise ('cli' over the control socket). */
  readonly actor: Actor;
}

/** For callers without a connection (CLI, tray, plain HTTP): nothing to clean up after, no events. */
export const NO_CONNECTION: CallContext = { onDisconnect: () => undefined, actor: 'user' };

/**
 * A connection's context: its events go from `source` to `sink` (see connectionEvents), its calls
 * act as `actor` (default 'user'), and `close()` runs everything tied to it and stops its events, once.
 */
export function connectionContext(source: EventSource, sink: EventSink, actor: Actor = 'user'): CallContext & { close(): void } {
  let cleanups: (() => void)[] | undefined = [];
  const events = connectionEvents(source, sink);
  return {
    events,
    actor,
    onDisconnect(fn) {
      if (cleanups) cleanups.push(fn);
      else fn();
    },
    close() {
      const fns = cleanups ?? [];
      if (!cleanups) return;
      cleanups = undefined;
      events.close();
      for (const fn of fns) fn();
    },
  };
}
