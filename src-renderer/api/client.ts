import { AppError } from '@shared/errors';
import type { Bridge, MlenvClient } from '@shared/wire';

/** Wraps an untyped bridge (Electron preload or WebSocket) in the one typed client. */
export function createClient(bridge: Bridge): MlenvClient {
  const handlers = new Map<string, Set<(payload: never) => void>>();
  bridge.subscribe((name, payload) => handlers.get(name)?.forEach((h) => h(payload as never)));
  return {
    async call(name, input) {
      const result = await bridge.call(name, input);
      if (!result.ok) throw AppError.fromBody(result.error);
      return result.value as never;
    },
    on(name, handler) {
      let set = handlers.get(name);
      if (!set) handlers.set(name, (set = new Set()));
      set.add(handler as (p: never) => void);
      return () => set.delete(handler as (p: never) => void);
    },
  };
}
