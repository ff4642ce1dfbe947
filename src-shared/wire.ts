// The transport-neutral client surface and the WebSocket frames of serve mode.
import type { Envelope } from './errors';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from './contract';

/** The one typed client the renderer knows. `call` rejects with an AppError. */
export interface MlenvClient {
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/** What a transport must offer: untyped, the client adds the types. The Electron preload exposes exactly this. */
export interface Bridge {
  call(name: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(handler: (name: string, payload: unknown) => void): () => void;
}

export type ClientFrame = { type: 'call'; id: number; name: string; input: unknown };
export type ServerFrame =
  | { type: 'result'; id: number | null; result: Envelope<unknown> }
  | { type: 'event'; name: string; payload: unknown };

export const WS_PATH = '/api/ws';
/** The Electron IPC channels, named once. */
export const IPC_CALL = 'mlenv:call';
export const IPC_EVENT = 'mlenv:event';
