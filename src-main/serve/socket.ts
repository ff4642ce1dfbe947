// The contract over one WebSocket per browser tab: calls in, results and every bus event out.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '@shared/errors';
import type { ClientFrame, ServerFrame } from '@shared/wire';
import type { App } from '../core/app';
import { fireAndForget } from '../core/fire-and-forget';
import { log } from '../core/log';
import { connectionContext } from '../router';
import { MAX_BODY } from './call';
import { refuseUpgrade } from './reply';

/** A client that falls this far behind stops getting events until it catches up. */
const MAX_BUFFERED = 4 * 1024 * 1024;

/** A frame from the socket, or the reason it is not one. */
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

/**
 * Answers upgrade requests on `server`: `admit` returns the HTTP status that refuses one (400 bad
 * target, 403 Host/Origin, 404 path, 401 token) or undefined to accept it. Nothing in the request
 * can throw out of the listener: a refusal is a status line on the socket, socket errors end it.
 */
export function attachWebSocket(server: Server, app: App, admit: (req: IncomingMessage) => number | undefined) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // After 'upgrade' Node leaves the socket without an error listener (a reset would be uncaught).
    socket.on('error', () => socket.destroy());
    try {
      const status = admit(req);
      if (status !== undefined) return refuseUpgrade(socket, status);
      wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
    } catch (e) {
      log.error('serve: upgrade failed', { message: (e as Error).message });
      refuseUpgrade(socket, 500);
    }
  });

  function connect(ws: WebSocket) {
    const ctx = connectionContext();
    const send = (frame: ServerFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
    const unsubscribe = app.bus.onAny((name, payload) => {
      if (ws.bufferedAmount < MAX_BUFFERED) send({ type: 'event', name, payload });
    });
    ws.on('message', (data) => {
      const frame = parseFrame(data.toString());
      if (frame instanceof AppError) return send({ type: 'result', id: null, result: { ok: false, error: frame.toBody() } });
      fireAndForget(
        app.router.dispatch(frame.name, frame.input, ctx).then((result) => send({ type: 'result', id: frame.id, result })),
        'serve: answering a WebSocket call',
        app.events,
      );
    });
    ws.on('close', () => {
      unsubscribe();
      ctx.close(); // e.g. log follows this tab opened end with it
    });
    ws.on('error', () => ws.terminate());
  }

  return {
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
