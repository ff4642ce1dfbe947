// POST /api/call/<name>: one contract request over plain HTTP, for scripts (curl, Python).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, type ErrorCode } from '@shared/errors';
import type { App } from '../core/app';
import { json } from './reply';

const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  ENGINE_UNAVAILABLE: 503,
  ENGINE_ERROR: 502,
  ADMISSION_REJECTED: 409,
  CONFLICT: 409,
  UNSUPPORTED: 501,
  INTERNAL: 500,
};
/** The largest request body (and WebSocket message) serve mode reads, in bytes. */
export const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        // Stop reading; the answer goes out with Connection: close, which ends the socket.
        req.off('data', onData).pause();
        reject(new AppError('INVALID_INPUT', `request body over ${MAX_BODY} bytes`));
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Reads the JSON body (empty means `{}`), dispatches request `name` and answers its envelope, the
 * error codes mapped to HTTP statuses. The caller has checked method, Content-Type and the token.
 */
export async function answerCall(app: App, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: string;
  try {
    body = await readBody(req);
  } catch (e) {
    if (!(e instanceof AppError)) return; // the client went away (or timed out) mid-body: nobody to answer
    res.setHeader('Connection', 'close');
    return json(res, 413, { ok: false, error: e.toBody() });
  }
  let input: unknown;
  try {
    input = body ? JSON.parse(body) : {};
  } catch {
    return json(res, 400, { ok: false, error: new AppError('INVALID_INPUT', 'request body is not JSON').toBody() });
  }
  const result = await app.router.dispatch(name, input);
  json(res, result.ok ? 200 : HTTP_STATUS[result.error.code], result);
}
