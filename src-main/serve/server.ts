// Serve mode: the built renderer over HTTP and the contract over a WebSocket (plus plain
// POST /api/call/<name> for scripts), on 127.0.0.1 by default. Every request passes guard.ts
// (target, Host, and for /api and the model proxy's /v1 its Origin and Content-Type) and session.ts (Bearer or the cookie
// the page's ?token= was traded for); timeouts and a connection cap bound slow or many clients.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WS_PATH } from '@shared/wire';
import type { App } from '../core/app';
import { log } from '../core/log';
import { createModelProxy, openAIError } from '../core/tiers/proxy';
import { internalErrorBody } from '../router';
import { answerCall } from './call';
import { createHostGuard, isJson, parseAllowHosts, parseTarget, pathForLog, type HostGuard } from './guard';
import { json, refuse } from './reply';
import { createSession, type Session } from './session';
import { attachWebSocket } from './socket';
import { serveStatic } from './static';

/** How long and how many clients may hold the server (Node's http.Server settings of the same names). */
export interface ServeLimits {
  /** Time to receive a request's headers; a slower client gets 408 and is closed. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (at least headersTimeoutMs). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections (WebSockets included) beyond which new ones are closed at once. */
  maxConnections: number;
}

export const DEFAULT_LIMITS: ServeLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 256 };

export interface ServeOptions {
  app: App;
  host: string;
  port: number;
  token: string;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Extra token-guarded GET routes, e.g. /metrics. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void | Promise<void>>;
  /** Host names served besides loopback and `host` (`NAME` on any port, or `NAME:PORT`): `--allow-host`. */
  allowHosts?: readonly string[];
  limits?: Partial<ServeLimits>;
}

const isApi = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

export async function startServer(opts: ServeOptions) {
  const allowHosts = parseAllowHosts(opts.allowHosts ?? []);
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs); // Node refuses headers > request
  const server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Node enforces both timeouts on this tick (30 s by default, too coarse for short ones).
      connectionsCheckingInterval: Math.max(25, Math.min(1000, limits.headersTimeoutMs / 4)),
    },
    (req, res) => {
      void handle(req, res).catch((e: unknown) => {
        // Journaled like a failed request; the client gets the generic sentence with the event's id.
        let eventId: number | undefined;
        try {
          eventId = opts.app.events.record({ type: 'request.failed', outcome: 'error', error: `INTERNAL: ${(e as Error)?.message ?? String(e)}`, details: { path: pathForLog(req.url) } });
        } catch {
          // the journal is closed (shutting down): the log below still has it
        }
        log.error('serve: request failed', { eventId, path: pathForLog(req.url), message: (e as Error)?.message, stack: (e as Error)?.stack });
        if (!res.headersSent) json(res, 500, { ok: false, error: internalErrorBody(eventId) });
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  const proxy = createModelProxy({ tiers: opts.app.tiers });
  // Both depend on the port, known once listening (port 0 picks one); no request arrives before.
  let guard: HostGuard;
  let session: Session;

  /** The checks every request passes, HTTP or upgrade: a path target, then a Host we answer to. */
  function screen(req: IncomingMessage): URL | { status: number; message: string } {
    const url = parseTarget(req.url);
    if (!url) return { status: 400, message: 'the request target must be a path' };
    if (!guard.hostAllowed(req.headers.host)) {
      return { status: 403, message: 'this server does not answer to that Host name (mlenv serve --allow-host NAME adds one)' };
    }
    return url;
  }

  /** What /api, the WebSocket and the extra routes add: our Origin or none, then the token (Bearer or cookie). */
  function admit(req: IncomingMessage): { status: number; message: string } | undefined {
    if (!guard.originAllowed(req.headers.origin)) return { status: 403, message: 'requests from pages of other origins are refused' };
    if (!session.authorized(req)) {
      return { status: 401, message: 'missing or wrong token: send Authorization: Bearer <token>, or open the address mlenv serve printed' };
    }
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = screen(req);
    if (!(url instanceof URL)) return refuse(res, url.status, url.message);
    if (url.pathname === '/healthz') return json(res, 200, { status: 'ok' });
    // The OpenAI-compatible model proxy (/v1/*): the same Host, Origin and token checks, errors in OpenAI's shape.
    if (proxy.handles(url.pathname)) {
      const refusal = admit(req);
      if (refusal) {
        if (refusal.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
        return openAIError(res, refusal.status, refusal.message, 'invalid_request_error', refusal.status === 401 ? 'invalid_api_key' : null);
      }
      return proxy.handle(req, res, url);
    }

    const route = Object.hasOwn(opts.routes ?? {}, url.pathname) ? opts.routes![url.pathname] : undefined;
    if (isApi(url.pathname) || route) {
      const refusal = admit(req);
      if (refusal) return refuse(res, refusal.status, refusal.message, refusal.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
      if (route) return req.method === 'GET' ? route(req, res) : refuse(res, 405, 'use GET', { Allow: 'GET' });
      const call = /^\/api\/call\/([\w.]+)$/.exec(url.pathname);
      if (!call) return json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no route ${url.pathname}` } });
      if (req.method !== 'POST') return refuse(res, 405, 'use POST', { Allow: 'POST' });
      if (!isJson(req.headers['content-type'])) return refuse(res, 415, 'send the request body as Content-Type: application/json');
      return answerCall(opts.app, call[1]!, req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'use GET', { Allow: 'GET, HEAD' });
    if (url.searchParams.has('token')) return session.exchange(url, res);
    return serveStatic(opts.staticDir, url.pathname, res);
  }

  const sockets = attachWebSocket(server, opts.app, (req) => {
    const url = screen(req);
    if (!(url instanceof URL)) return url.status;
    if (url.pathname !== WS_PATH) return 404;
    return admit(req)?.status;
  });

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
  guard = createHostGuard({ port, host: opts.host, allowHosts });
  session = createSession(opts.token, port);
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  return {
    port,
    /** The one URL with the token: its first load trades the token for the session cookie. */
    url: `http://${hostForUrl}:${port}/?token=${encodeURIComponent(opts.token)}`,
    async close() {
      sockets.close();
      proxy.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
