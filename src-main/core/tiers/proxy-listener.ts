// The model proxy on a port of its own, for the desktop app (and beside mlenv serve's own /v1): plain
// Node http on 127.0.0.1 only, mounting the same routing as serve (proxy.ts). Every request passes the
// checks serve makes before the proxy sees it: a path target, a Host that names this listener
// (against DNS rebinding), no Origin of another site's page, and the token as `Authorization: Bearer`
// (RFC 6750 §2.1, compared in constant time). Never unauthenticated: there is no way to start it
// without a token.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerToken, tokenMatches } from '../../serve/auth';
import { createHostGuard, parseTarget, pathForLog } from '../../serve/guard';
import { log } from '../log';
import { createModelProxy, openAIError, type ModelProxy } from './proxy';

/** The only address the listener binds: the proxy serves this machine's programs, never the network. */
export const PROXY_HOST = '127.0.0.1';

/** Tokens shorter than this are refused (serve's --token rule). */
export const MIN_TOKEN_LENGTH = 16;

/** Node's http.Server limits: a slow or idle client cannot hold the listener (requests wait for their model after the body is in). */
const LIMITS = { headersTimeout: 10_000, requestTimeout: 60_000, keepAliveTimeout: 5_000, maxConnections: 256 };

export interface ProxyListener {
  /** The port it listens on (the one asked for, or the one picked for port 0). */
  readonly port: number;
  /** http://127.0.0.1:<port>/v1: what an OpenAI client takes as its base URL. */
  readonly url: string;
  /** Stops listening, ends open connections and the kept ones to the model servers. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1:`port` (0: any free port) for the OpenAI-compatible routes of `tiers`'s
 * models, answering only requests with `Authorization: Bearer <token>`. Refusals are in OpenAI's
 * error shape: 400 (target not a path), 403 (a Host or Origin not ours), 401 (no or wrong token,
 * with WWW-Authenticate: Bearer). Rejects with one sentence when the token is shorter than
 * MIN_TOKEN_LENGTH or the port cannot be had (taken, privileged).
 */
export async function listenModelProxy(opts: { tiers: Parameters<typeof createModelProxy>[0]['tiers']; port: number; token: string }): Promise<ProxyListener> {
  if (opts.token.length < MIN_TOKEN_LENGTH) throw new Error(`the model proxy's token must be at least ${MIN_TOKEN_LENGTH} characters`);
  const proxy: ModelProxy = createModelProxy({ tiers: opts.tiers });
  const server = http.createServer(
    { headersTimeout: LIMITS.headersTimeout, requestTimeout: LIMITS.requestTimeout, keepAliveTimeout: LIMITS.keepAliveTimeout },
    (req, res) => {
      void handle(req, res).catch((e: unknown) => {
        log.error('model proxy: request failed', { path: pathForLog(req.url), message: (e as Error)?.message });
        openAIError(res, 500, 'the model proxy failed on this request (see the app log)', 'server_error', 'internal_error');
      });
    },
  );
  server.maxConnections = LIMITS.maxConnections;
  let guard: ReturnType<typeof createHostGuard>;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseTarget(req.url);
    if (!url) return openAIError(res, 400, 'the request target must be a path');
    if (!guard.hostAllowed(req.headers.host)) return openAIError(res, 403, 'this proxy answers only to localhost and 127.0.0.1 on its own port', 'invalid_request_error', 'host_not_allowed');
    if (!guard.originAllowed(req.headers.origin)) return openAIError(res, 403, 'requests from pages of other origins are refused', 'invalid_request_error', 'origin_not_allowed');
    if (!tokenMatches(bearerToken(req), opts.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return openAIError(res, 401, 'missing or wrong token: send Authorization: Bearer <token>, the token MLEnv shows in Settings → Model proxy', 'invalid_request_error', 'invalid_api_key');
    }
    if (!proxy.handles(url.pathname)) return openAIError(res, 404, `no route ${url.pathname}: the proxy answers under /v1`, 'invalid_request_error', 'not_found');
    return proxy.handle(req, res, url);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') reject(new Error(`port ${opts.port} on ${PROXY_HOST} is already in use: choose another port for the model proxy`));
        else if (e.code === 'EACCES') reject(new Error(`not allowed to listen on port ${opts.port} (ports below 1024 need privileges)`));
        else reject(e);
      });
      server.listen(opts.port, PROXY_HOST, () => resolve());
    });
  } catch (e) {
    proxy.close();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  guard = createHostGuard({ port, host: PROXY_HOST });
  let closed: Promise<void> | undefined;
  return {
    port,
    url: `http://${PROXY_HOST}:${port}/v1`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        proxy.close();
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}
