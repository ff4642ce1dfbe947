import { AppError } from '@shared/errors';

interface EngineError {
  statusCode?: number;
  code?: string;
  message?: string;
  json?: { message?: string } | null;
  reason?: string;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EACCES']);

/** The engine's own message when it sent one (dockerode puts the JSON body in `json`). */
export function engineMessage(e: unknown): string {
  const err = e as EngineError;
  const body = err.json?.message;
  if (body) return body;
  return (err.message ?? String(e)).replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, '');
}

/**
 * An engine failure → a typed error carrying the engine's message: image missing, port taken,
 * conflict… Any other answer with an HTTP status (a 500 such as an OCI runtime or nvidia-container-cli
 * failure, a 403 from an authorization plugin) is ENGINE_ERROR, keeping the engine's words for the
 * user; only a failure without an engine answer is INTERNAL (whose text callers do not see).
 */
export function toAppError(e: unknown, doing: string, engine: string): AppError {
  if (e instanceof AppError) return e;
  const err = e as EngineError;
  const msg = engineMessage(e);
  if (err.code && CONNECT_CODES.has(err.code)) {
    return new AppError('ENGINE_UNAVAILABLE', `${doing}: the Docker engine "${engine}" is unreachable (${err.code}: ${err.message})`);
  }
  switch (err.statusCode) {
    case 400:
      return new AppError('INVALID_INPUT', `${doing}: the engine refused it: ${msg}`);
    case 404:
      return new AppError('NOT_FOUND', `${doing}: ${msg}`);
    case 304:
      return new AppError('CONFLICT', `${doing}: nothing to do (already in that state)`);
    case 409:
      return new AppError('CONFLICT', `${doing}: ${msg}`);
    case 500:
      if (/port is already allocated|address already in use/i.test(msg)) return new AppError('CONFLICT', `${doing}: ${msg}`);
      return new AppError('ENGINE_ERROR', `${doing}: the engine failed: ${msg}`);
    default:
      if (typeof err.statusCode === 'number') return new AppError('ENGINE_ERROR', `${doing}: the engine answered ${err.statusCode}: ${msg}`);
      return new AppError('INTERNAL', `${doing}: ${msg}`);
  }
}
