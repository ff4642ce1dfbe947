// One GET over Node's fetch with a deadline, and every way an answer can fail turned into one
// sentence (CatalogFetchError): unreachable, timed out, cut short, an HTML page instead of JSON, a
// sign-in required, rate limited (with Retry-After), not found, another HTTP status.

export type FetchFailure = 'unreachable' | 'timeout' | 'cancelled' | 'http' | 'html' | 'malformed' | 'auth' | 'rate-limited' | 'not-found';

/** A failed request to NGC or a registry; `message` is the sentence the user reads. */
export class CatalogFetchError extends Error {
  constructor(
    readonly kind: FetchFailure,
    message: string,
    /** For `rate-limited`: how long the server asked us to wait (ms), when it said. */
    readonly retryAfterMs: number | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'CatalogFetchError';
  }
}

export interface HttpOptions {
  timeoutMs: number;
  /** Aborts every request in flight (the service stopping). */
  signal?: AbortSignal;
  /** ms since epoch, for Retry-After dates. */
  now: () => number;
}

export interface HttpAnswer {
  url: string;
  status: number;
  headers: Headers;
  body: string;
}

/** The largest answer read (a catalog page of 100 images is well under 1 MiB). */
const MAX_BODY = 32 * 1024 * 1024;

const codeOf = (e: unknown): string | undefined => {
  for (let c: unknown = e; c && typeof c === 'object'; c = (c as { cause?: unknown }).cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
};

/**
 * GETs `url` and reads its whole body within `timeoutMs`. Rejects with a CatalogFetchError
 * (unreachable, timeout, cancelled, or malformed when the connection closed before the body was
 * complete); any HTTP status is an answer. `who` names the server in messages ("NGC (api.ngc.nvidia.com)").
 */
export async function httpGet(url: string, headers: Record<string, string>, o: HttpOptions, who: string): Promise<HttpAnswer> {
  const timeout = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([timeout, o.signal]) : timeout;
  const failed = (e: unknown, reading: boolean): CatalogFetchError => {
    if (o.signal?.aborted) return new CatalogFetchError('cancelled', `the request to ${who} was cancelled`);
    if (timeout.aborted) return new CatalogFetchError('timeout', `${who} did not answer within ${Math.round(o.timeoutMs / 100) / 10} s.`);
    if (reading) return new CatalogFetchError('malformed', `${who} closed the connection before its answer was complete (${codeOf(e) ?? (e as Error).message}).`);
    return new CatalogFetchError('unreachable', `${who} could not be reached (${codeOf(e) ?? (e as Error).message}).`);
  };
  let res: Response;
  try {
    res = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (e) {
    throw failed(e, false);
  }
  let body: string;
  try {
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_BODY) throw new CatalogFetchError('malformed', `${who} sent an answer of ${length} bytes, more than the ${MAX_BODY} read.`);
    body = await res.text();
  } catch (e) {
    if (e instanceof CatalogFetchError) throw e;
    throw failed(e, true);
  }
  return { url, status: res.status, headers: res.headers, body };
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, as ms from `now`; null when absent
 * or unreadable. Never negative.
 */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const isHtml = (a: HttpAnswer) => /html/i.test(a.headers.get('content-type') ?? '') || /^\s*</.test(a.body);
const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/**
 * The answer's JSON when it is a 2xx with a JSON body; otherwise the failure in one sentence:
 * 429 → rate-limited (with Retry-After), 401/403 → auth, 404 → not-found, an HTML page (a proxy's
 * or an outage page) → html, a body that does not parse (cut short) → malformed, any other status → http.
 */
export function jsonOf(a: HttpAnswer, who: string, now: number): unknown {
  const path = new URL(a.url).pathname;
  if (a.status === 429) {
    const wait = retryAfterMs(a.headers.get('retry-after'), now);
    throw new CatalogFetchError('rate-limited', `${who} is limiting requests (HTTP 429)${wait !== null ? `: try again in ${seconds(wait)}` : ''}.`, wait, 429);
  }
  if (a.status === 401 || a.status === 403) throw new CatalogFetchError('auth', `${who} refused ${path} without a sign-in (HTTP ${a.status}).`, null, a.status);
  if (a.status === 404) throw new CatalogFetchError('not-found', `${who} has nothing at ${path} (HTTP 404).`, null, 404);
  if (a.status < 200 || a.status > 299) {
    throw new CatalogFetchError('http', `${who} answered HTTP ${a.status} for ${path}${isHtml(a) ? ' with an HTML page' : ''}.`, null, a.status);
  }
  if (isHtml(a)) throw new CatalogFetchError('html', `${who} answered ${path} with an HTML page instead of JSON (a proxy, captive portal or outage page).`, null, a.status);
  try {
    return JSON.parse(a.body) as unknown;
  } catch (e) {
    throw new CatalogFetchError('malformed', `${who} sent an answer to ${path} that is not complete JSON (${(e as Error).message}).`, null, a.status);
  }
}
