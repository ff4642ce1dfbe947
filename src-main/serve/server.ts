// Serve mode: the built renderer over HTTP and the contract over a WebSocket (plus plain
// POST /api/call/<name> for scripts), on 127.0.0.1 by default, everything under /api token-guarded.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError, type ErrorCode } from '@shared/errors';
import { WS_PATH, type ClientFrame, type ServerFrame } from '@shared/wire';
import type { App } from '../core/app';
import { log } from '../core/log';
import { connectionContext } from '../router';
import { presentedToken, tokenMatches } from './auth';
import { SECURITY_HEADERS, serveStatic } from './static';

export interface ServeOptions {
  app: App;
  host: string;
  port: number;
  token: string;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Extra token-guarded GET routes, e.g. /metrics. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>>;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  ENGINE_UNAVAILABLE: 503,
  ADMISSION_REJECTED: 409,
  CONFLICT: 409,
  UNSUPPORTED: 501,
  INTERNAL: 500,
};
const MAX_BODY = 1024 * 1024;
/** A client that falls this far behind stops getting events until it catches up. */
const MAX_BUFFERED = 4 * 1024 * 1024;

const json = (res: ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' }).end(JSON.stringify(body));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new AppError('INVALID_INPUT', `request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A frame from the socket, or the reason it is not one. */
function parseFrame(data: string): ClientFrame | AppError {
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

export async function startServer(opts: ServeOptions) {
  const { app, token } = opts;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e) => {
      log.error('serve: request failed', { url: req.url, message: (e as Error).message });
      if (!res.headersSent) json(res, 500, { ok: false, error: { code: 'INTERNAL', message: (e as Error).message } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });

    const guarded = url.pathname.startsWith('/api') || url.pathname in (opts.routes ?? {});
    if (guarded && !tokenMatches(presentedToken(req, url), token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return json(res, 401, { ok: false, error: { code: 'INVALID_INPUT', message: 'missing or wrong token' } });
    }
    const route = opts.routes?.[url.pathname];
    if (route && req.method === 'GET') return route(req, res);

    const call = /^\/api\/call\/([\w.]+)$/.exec(url.pathname);
    if (call) {
      if (req.method !== 'POST') return json(res, 405, { ok: false, error: { code: 'INVALID_INPUT', message: 'use POST' } });
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body ? JSON.parse(body) : {};
      } catch (e) {
        const err = e instanceof AppError ? e : new AppError('INVALID_INPUT', 'request body is not JSON');
        return json(res, 400, { ok: false, error: err.toBody() });
      }
      const result = await app.router.dispatch(call[1], input);
      return json(res, result.ok ? 200 : HTTP_STATUS[result.error.code], result);
    }
    if (url.pathname.startsWith('/api')) return json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no route ${url.pathname}` } });
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { ok: false, error: { code: 'INVALID_INPUT', message: 'use GET' } });
    return serveStatic(opts.staticDir, url.pathname, res);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const reject = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== WS_PATH) return reject(404, 'Not Found');
    if (!tokenMatches(presentedToken(req, url), token)) return reject(401, 'Unauthorized');
    // A page from another site cannot drive the API even if it learned the token from a URL.
    const origin = req.headers.origin;
    if (origin && new URL(origin).host !== req.headers.host) return reject(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws));
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
      void app.router.dispatch(frame.name, frame.input, ctx).then((result) => send({ type: 'result', id: frame.id, result }));
    });
    ws.on('close', () => {
      unsubscribe();
      ctx.close(); // e.g. log follows this tab opened end with it
    });
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new Error(`port ${opts.port} on ${opts.host} is already in use: choose another with --port N, or --port 0 for any free port`));
      else if (e.code === 'EADDRNOTAVAIL') reject(new Error(`cannot listen on ${opts.host}: no such address on this machine`));
      else if (e.code === 'EACCES') reject(new Error(`not allowed to listen on port ${opts.port} (ports below 1024 need privileges)`));
      else reject(e);
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  return {
    port,
    url: `http://${hostForUrl}:${port}/?token=${encodeURIComponent(token)}`,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
