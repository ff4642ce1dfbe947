// The transport-neutral client surface and the frames of serve mode's WebSocket and the control socket.
import { AppError, type Envelope } from './errors';
import type { EventName, EventPayload, RequestInput, RequestName, RequestOutput } from './contract';

/** The one typed client the renderer knows. `call` rejects with an AppError. */
export interface MlenvClient {
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
  on<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/** What a transport must offer: untyped, the client adds the types. The Electron preload exposes exactly this. */
export interface Bridge {
  call(name: string, input: unknown): Promise<Envelope<unknown>>;
  /** Every event that reaches this connection (those it subscribed to with `events.subscribe`, and its own). */
  subscribe(handler: (name: string, payload: unknown) => void): () => void;
  /**
   * Told each time the transport connected again after losing its connection: the server has
   * forgotten this connection's subscriptions. Absent where a connection is never lost and
   * reopened (Electron IPC: a reloaded page is a new client).
   */
  onReconnect?(handler: () => void): () => void;
}

export type ClientFrame = { type: 'call'; id: number; name: string; input: unknown };
export type ServerFrame =
  | { type: 'result'; id: number | null; result: Envelope<unknown> }
  | { type: 'event'; name: string; payload: unknown };

/** A call frame from a client (serve mode's WebSocket, the control socket), or the reason it is not one. */
export function parseFrame(data: string): ClientFrame | AppError {
  let f: unknown;
  try {
    f = JSON.parse(data);
  } catch {
    return new AppError('INVALID_INPUT', 'message is not JSON');
  }
  const o = f as Partial<ClientFrame> | null;
  if (!o || typeof o !== 'object' || o.type !== 'call' || typeof o.id !== 'number' || typeof o.name !== 'string') {
    return new AppError('INVALID_INPUT', 'message must be {"type":"call","id":<number>,"name":<string>,"input":…}');
  }
  return o as ClientFrame;
}

export const WS_PATH = '/api/ws';
/** The Electron IPC channels, named once. */
export const IPC_CALL = 'mlenv:call';
export const IPC_EVENT = 'mlenv:event';
