// The OpenAI-compatible proxy's routing: one endpoint for every model in the library. A request's
// `model` field names the model ("auto": selection picks one for the endpoint's task); the model is
// made hot first (ensure: evictions as planned, the request held while it wakes), then the request
// goes unchanged to its server on 127.0.0.1 and the answer comes back as it arrives (chunked
// bodies and server-sent events pass through). Errors use OpenAI's shape:
// {"error": {"message", "type", "param", "code"}}. Serve mode mounts this behind its own Host and
// token checks (src-main/serve/server.ts); this module knows nothing of either.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { modelName } from '@shared/contract/tiers';
import { isAppError, type AppError } from '@shared/errors';
import { log } from '../log';
import type { TierManager } from './manager';
import { LOOPBACK } from './readiness';

/** The largest request body the proxy reads, bytes (long prompts and embedding batches are large). */
export const MAX_PROXY_BODY = 8 * 1024 * 1024;

/** The routes, each with the capability `model: "auto"` asks selection for. */
const ROUTES: Record<string, string> = {
  '/v1/chat/completions': 'text-generation',
  '/v1/completions': 'text-generation',
  '/v1/embeddings': 'embedding',
};
const MODELS = '/v1/models';

/** Headers that belong to one connection (RFC 9110 §7.6.1) or to us (the caller's token, cookies): never forwarded. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'cookie', 'origin', 'referer', 'content-length', 'expect']);

/** The one field the proxy reads of a body: the rest goes to the model server as it came. */
const modelField = z.union([z.literal('auto'), modelName]);

/** OpenAI's error types by our error codes (the HTTP status goes with it). */
function asOpenAI(e: AppError): { status: number; type: string; code: string } {
  switch (e.code) {
    case 'NOT_FOUND':
      return { status: 404, type: 'invalid_request_error', code: 'model_not_found' };
    case 'INVALID_INPUT':
      return { status: 400, type: 'invalid_request_error', code: 'invalid_request' };
    case 'ADMISSION_REJECTED':
      return { status: 503, type: 'server_error', code: 'admission_rejected' };
    case 'CONFLICT':
      return { status: 503, type: 'server_error', code: (e.details as { canNeverFit?: boolean } | undefined)?.canNeverFit ? 'model_cannot_fit' : 'model_unavailable' };
    case 'UNSUPPORTED':
      return { status: 501, type: 'server_error', code: 'unsupported' };
    default:
      return { status: 503, type: 'server_error', code: 'model_unavailable' };
  }
}

/** Writes an error in OpenAI's shape (or ends the stream when the answer has begun). */
export function openAIError(res: ServerResponse, status: number, message: string, type = 'invalid_request_error', code: string | null = null, param: string | null = null): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify({ error: { message, type, param, code } });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' }).end(text);
}

/** Reads the body, up to `max` bytes; null (and a 413 sent) when it is larger, undefined when the client went away. */
function readBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<Buffer | null | undefined> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      res.setHeader('Connection', 'close');
      openAIError(res, 413, `the request body is over ${max} bytes`);
      return resolve(null);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        req.off('data', onData).pause();
        res.setHeader('Connection', 'close');
        openAIError(res, 413, `the request body is over ${max} bytes`);
        resolve(null);
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
    req.on('aborted', () => resolve(undefined));
  });
}

export function createModelProxy(opts: { tiers: Pick<TierManager, 'acquire' | 'select' | 'list'>; maxBodyBytes?: number }) {
  const { tiers } = opts;
  const max = opts.maxBodyBytes ?? MAX_PROXY_BODY;
  // Connections to the model servers are kept open between requests (where the server allows).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  function listModels(res: ServerResponse): void {
    const data = tiers.list().map((m) => ({ id: m.name, object: 'model', created: Math.floor(m.createdAt / 1000), owned_by: 'mlenv' }));
    const text = JSON.stringify({ object: 'list', data });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' }).end(text);
  }

  /** The upstream request's headers: the caller's, less those of the connection and ours. */
  function forwardHeaders(req: IncomingMessage, length: number): http.OutgoingHttpHeaders {
    const out: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP.has(k) && v !== undefined) out[k] = v;
    out['content-length'] = length;
    return out;
  }

  /** The answer's headers: the server's, less those of its connection (Node frames the body for ours). */
  function backHeaders(up: IncomingMessage, model: string): http.OutgoingHttpHeaders {
    const out: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(up.headers)) if (!HOP.has(k) && v !== undefined) out[k] = v;
    if (up.headers['content-length'] !== undefined) out['content-length'] = up.headers['content-length'];
    out['x-mlenv-model'] = model;
    return out;
  }

  async function complete(req: IncomingMessage, res: ServerResponse, url: URL, task: string): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return openAIError(res, 405, `use POST for ${url.pathname}`);
    }
    const type = req.headers['content-type']?.split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return openAIError(res, 415, 'send the request body as Content-Type: application/json');
    const raw = await readBody(req, res, max);
    if (!raw) return;
    // The body must be whole before it can be routed (its "model" may come last, as OpenAI's SDKs
    // send it). V8's own parser finds the top-level key (microseconds for a chat request; about 3 ms
    // a MiB for a large embedding batch); the body itself is forwarded as it came, never re-encoded
    // (except for "auto", which names the chosen model).
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return openAIError(res, 400, 'the request body is not JSON');
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return openAIError(res, 400, 'the request body must be a JSON object');
    const field = modelField.safeParse((json as { model?: unknown }).model);
    if (!field.success) {
      return openAIError(res, 400, `"model" must name a model (GET /v1/models lists them) or be "auto": ${field.error.issues[0]?.message ?? ''}`.trim(), 'invalid_request_error', null, 'model');
    }
    let name = field.data;
    let body = raw;
    if (name === 'auto') {
      const priority = String(req.headers['x-mlenv-priority'] ?? 'balanced');
      const s = tiers.select({ mode: 'auto', capabilities: [task], priority: priority === 'speed' || priority === 'quality' ? priority : 'balanced' });
      if (!s.model) return openAIError(res, 404, `no model can answer ${url.pathname} (${task}): ${s.reason}`, 'invalid_request_error', 'model_not_found', 'model');
      name = s.model;
      // The server is told the model it serves, as if the caller had named it.
      body = Buffer.from(JSON.stringify({ ...json, model: name }));
    }

    // The caller may leave while the model wakes: then the wait ends and nothing is forwarded.
    const gone = new AbortController();
    res.on('close', () => gone.abort());
    let lease: Awaited<ReturnType<TierManager['acquire']>>;
    try {
      lease = await tiers.acquire(name, { signal: gone.signal });
    } catch (e) {
      if (gone.signal.aborted) return;
      if (!isAppError(e)) throw e;
      const o = asOpenAI(e);
      return openAIError(res, o.status, e.message, o.type, o.code, o.code === 'model_not_found' ? 'model' : null);
    }
    if (gone.signal.aborted) return lease.release();
    res.on('close', () => lease.release());

    const up = http.request(
      { host: LOOPBACK, port: lease.hostPort, method: 'POST', path: url.pathname + url.search, headers: forwardHeaders(req, body.length), agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, backHeaders(answer, name));
        // A stream (server-sent events, a chunked body) shows its headers at once and each chunk as
        // it comes; a body of known length goes out with its headers in one write.
        if (answer.headers['content-length'] === undefined) {
          res.flushHeaders();
          res.socket?.setNoDelay(true);
        }
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    up.on('error', (e) => {
      log.warn('proxy: the model server did not answer', { model: name, message: e.message });
      openAIError(res, 502, `model ${name} did not answer: ${e.message}`, 'server_error', 'bad_gateway');
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy(); // the caller left mid-answer
    });
    up.end(body);
  }

  return {
    /** Whether `pathname` is the proxy's: everything under /v1 (unknown ones get OpenAI's 404). */
    handles: (pathname: string): boolean => pathname === '/v1' || pathname.startsWith('/v1/'),
    /** Answers one request to a proxy route (the caller has checked Host and the token). */
    async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
      if (url.pathname === MODELS) {
        if (req.method !== 'GET') {
          res.setHeader('Allow', 'GET');
          return openAIError(res, 405, 'use GET for /v1/models');
        }
        return listModels(res);
      }
      const task = ROUTES[url.pathname];
      if (!task) return openAIError(res, 404, `no route ${url.pathname}`, 'invalid_request_error', 'not_found');
      return complete(req, res, url, task);
    },
    /** Closes the kept connections to the model servers. */
    close(): void {
      agent.destroy();
    },
  };
}
export type ModelProxy = ReturnType<typeof createModelProxy>;
