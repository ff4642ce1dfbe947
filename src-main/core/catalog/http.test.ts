// Every way an answer can be wrong becomes one sentence of the right kind (RFC 9110 for Retry-After).
import { describe, expect, it } from 'vitest';
import { CatalogFetchError, jsonOf, retryAfterMs, type HttpAnswer } from './http';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const answer = (status: number, body: string, headers: Record<string, string> = {}): HttpAnswer => ({
  url: 'https://api.ngc.nvidia.com/v2/repos/nvidia/pytorch',
  status,
  headers: new Headers({ 'content-type': 'application/json', ...headers }),
  body,
});
const failure = (a: HttpAnswer): CatalogFetchError => {
  try {
    jsonOf(a, 'NGC (api.ngc.nvidia.com)', NOW);
  } catch (e) {
    return e as CatalogFetchError;
  }
  throw new Error('expected a failure');
};

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP-dates, from the given now', () => {
    expect(retryAfterMs('120', NOW)).toBe(120_000);
    expect(retryAfterMs('Fri, 20 Nov 2026 12:01:30 GMT', NOW)).toBe(90_000);
    expect(retryAfterMs('Fri, 20 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
    expect(retryAfterMs('soon', NOW)).toBeNull();
    expect(retryAfterMs(null, NOW)).toBeNull();
  });
});

describe('jsonOf', () => {
  it('gives the JSON of a 2xx answer', () => {
    expect(jsonOf(answer(200, '{"a":1}'), 'NGC', NOW)).toEqual({ a: 1 });
  });
  it('429 → rate-limited, with how long to wait', () => {
    const e = failure(answer(429, '{}', { 'retry-after': '120' }));
    expect([e.kind, e.retryAfterMs, e.message]).toEqual(['rate-limited', 120_000, 'NGC (api.ngc.nvidia.com) is limiting requests (HTTP 429): try again in 120 s.']);
  });
  it('401 and 403 → auth; 404 → not-found; 500 → http', () => {
    expect(failure(answer(401, '{}')).kind).toBe('auth');
    expect(failure(answer(403, '{}')).kind).toBe('auth');
    expect(failure(answer(404, '{}')).kind).toBe('not-found');
    expect(failure(answer(500, '{}'))).toMatchObject({ kind: 'http', message: 'NGC (api.ngc.nvidia.com) answered HTTP 500 for /v2/repos/nvidia/pytorch.' });
  });
  it('an HTML page (a proxy or outage page), even with status 200 → html', () => {
    expect(failure(answer(200, '<!DOCTYPE html><html></html>', { 'content-type': 'text/html' })).kind).toBe('html');
    expect(failure(answer(200, '  <html><body>captive portal</body></html>', { 'content-type': 'application/json' })).kind).toBe('html');
    expect(failure(answer(502, '<html></html>', { 'content-type': 'text/html' })).message).toBe('NGC (api.ngc.nvidia.com) answered HTTP 502 for /v2/repos/nvidia/pytorch with an HTML page.');
  });
  it('a body cut short → malformed', () => {
    const e = failure(answer(200, '{"resultTotal": 24, "results": [{"groupVal'));
    expect(e.kind).toBe('malformed');
    expect(e.message).toMatch(/^NGC \(api\.ngc\.nvidia\.com\) sent an answer to \/v2\/repos\/nvidia\/pytorch that is not complete JSON \(/);
  });
});
