import { EventEmitter } from 'node:events';
import type { BusEventName, EventPayload } from '@shared/contract';

type AnyHandler = (name: BusEventName, payload: unknown) => void;

/**
 * The core's typed event bus; each connection hears the names it subscribed to (src-main/connection.ts).
 * Events that belong to one connection (`logs.lines`) are not bus events: they go through its CallContext.
 */
export function createBus() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    emit<E extends BusEventName>(name: E, payload: EventPayload<E>): void {
      emitter.emit(name, payload);
      emitter.emit('*', name, payload);
    },
    on<E extends BusEventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
      emitter.on(name, handler);
      return () => emitter.off(name, handler);
    },
    onAny(handler: AnyHandler): () => void {
      emitter.on('*', handler);
      return () => emitter.off('*', handler);
    },
  };
}
export type Bus = ReturnType<typeof createBus>;
