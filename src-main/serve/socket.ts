// The contract over one WebSocket per browser tab: calls in, results and the events it subscribed to out.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '@shared/errors';
import { parseFrame, type ServerFrame } from '@shared/wire';
import type { App } from '../core/app';
import { fireAndForget } from '../core/fire-and-forget';
import { log } from '../core/log';
import { connectionContext } from '../connection';
import { MAX_BODY } from './call';
import { refuseUpgrade } from './reply';

/** A client that falls this far behind stops getting events until it catches up. */
const MAX_BUFFERED = 4 * 1024 * 1024;


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
    const send = (frame: ServerFrame) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(frame));
    // This tab hears the events it subscribed to, and the lines of its own log follows.
    const ctx = connectionContext(app.bus, (name, payload) => {
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
    ws.on('close', () => ctx.close()); // its subscriptions, and the log follows it opened, end with it
    ws.on('error', () => ws.terminate());
  }

  return {
    close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
