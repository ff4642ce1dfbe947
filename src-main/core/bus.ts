import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '@shared/contract';

type AnyHandler = (name: EventName, payload: unknown) => void;

/** The core's typed event bus; transports forward everything on it to their renderers. */
export function createBus() {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  return {
    emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
      emitter.emit(name, payload);
      emitter.emit('*', name, payload);
    },
    on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
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
