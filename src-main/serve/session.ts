// The browser's session in serve mode, as in Jupyter's local server: the token arrives once, in the
// printed URL's query, and is traded for an HttpOnly, SameSite=Strict cookie by a redirect that
// drops it from the address bar (and so from history and Referer). After that a browser proves
// itself with the cookie; scripts send `Authorization: Bearer`. `?token=` opens nothing but the page.
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, tokenMatches } from './auth';
import { SECURITY_HEADERS } from './static';

export interface Session {
  /** `mlenv-<port>`: browsers share cookies between the ports of one host, so two servers need two names. */
  readonly cookieName: string;
  /** True when the request carries the token as `Authorization: Bearer`, or the session cookie. */
  authorized(req: IncomingMessage): boolean;
  /**
   * Answers a page load whose URL has `token` in its query: 303 to the same path and query without
   * it, with `Set-Cookie` when the token is right (a wrong one is dropped from the URL all the same).
   */
  exchange(url: URL, res: ServerResponse): void;
}

/** The value of cookie `name` in a Cookie header (RFC 6265 §4.2.1: `name=value` pairs joined by "; "). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) return pair.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The session of a server that listens on `port` with `token`. The cookie holds an HMAC of the token,
 * not the token itself: it proves the browser saw the token without being one (it does not open
 * /metrics to a scraper that reads it), and a server restarted with the same `--token` still accepts it.
 */
export function createSession(token: string, port: number): Session {
  const cookieName = `mlenv-${port}`;
  const value = createHmac('sha256', token).update('mlenv serve session').digest('base64url');
  const setCookie = `${cookieName}=${value}; HttpOnly; SameSite=Strict; Path=/`;

  return {
    cookieName,
    authorized(req) {
      const bearer = bearerToken(req);
      if (bearer !== undefined) return tokenMatches(bearer, token);
      return tokenMatches(cookieValue(req.headers.cookie, cookieName), value);
    },
    exchange(url, res) {
      const rest = new URLSearchParams(url.searchParams);
      rest.delete('token');
      const query = rest.toString();
      // One leading slash: "//evil.example" in Location would be a redirect to another host.
      const location = `/${url.pathname.replace(/^\/+/, '')}${query ? `?${query}` : ''}`;
      const right = tokenMatches(url.searchParams.get('token') ?? undefined, token);
      res
        .writeHead(303, {
          ...SECURITY_HEADERS,
          Location: location,
          'Cache-Control': 'no-store',
          ...(right ? { 'Set-Cookie': setCookie } : {}),
        })
        .end();
    },
  };
}
