// What serve mode checks in every request before anything else reads it: the request target,
// the Host it was sent to (against DNS rebinding), the Origin of a browser page (against other
// sites' pages), and the media type of a POST body (a cross-site form or no-cors fetch can only
// send text/plain, urlencoded or multipart without a preflight). Jupyter's local server checks the
// same things; see "Trust model of serve mode" in DESIGN.md.
import os from 'node:os';

/**
 * The request target in origin-form (RFC 9112 §3.2.1: absolute-path ["?" query]), as a URL on a
 * fixed base; undefined for the other forms (absolute-form, authority-form, `*`) and for any text no
 * URL parser accepts. Never throws.
 */
export function parseTarget(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  const text = `http://localhost${target}`;
  return URL.canParse(text) ? new URL(text) : undefined;
}

/** The target's path for logs: never its query (a page URL may carry the token). */
export const pathForLog = (target: string | undefined): string => (target ?? '').split('?')[0]!.slice(0, 200);

/** RFC 9110 §7.2: Host = uri-host [ ":" port ], uri-host an IP-literal in brackets or a DNS name / IPv4. */
const AUTHORITY = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/;

/** A host name and port, the name as the WHATWG URL parser writes it (lower case, IPv6 in brackets). */
export interface HostPort {
  name: string;
  /** undefined: any port (an `--allow-host NAME` without one). */
  port: number | undefined;
}

/** `name[:port]` parsed and normalized (`LOCALHOST` → `localhost`, `[0::1]` → `[::1]`); undefined when it is not one. */
export function parseAuthority(text: string): HostPort | undefined {
  const m = AUTHORITY.exec(text);
  if (!m) return undefined;
  const url = `http://${m[1]}`;
  if (!URL.canParse(url)) return undefined;
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { name: new URL(url).hostname, port };
}

/** An address as a Host name: a bare IPv6 address (two colons or more) in brackets, anything else as it is. */
const bracketed = (address: string) => (/:.*:/.test(address) && !address.startsWith('[') ? `[${address}]` : address);

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD = new Set(['0.0.0.0', '[::]']);

export interface HostGuard {
  /** True when a Host header names this server: a loopback name or the listen address on our port, or an allowed name. */
  hostAllowed(host: string | undefined): boolean;
  /**
   * True when the Origin header is absent (not a browser, or a same-origin GET) or is exactly
   * `http(s)://` + a host we answer to (Fetch standard: scheme, host and port). `null` (sandboxed
   * frames, file: pages) and anything unparsable are refused.
   */
  originAllowed(origin: string | undefined): boolean;
}

/**
 * `--allow-host` entries parsed: `NAME` (any port, e.g. behind a reverse proxy on 443) or `NAME:PORT`
 * (that port); IPv6 addresses with or without brackets. Throws one sentence naming a bad entry.
 */
export function parseAllowHosts(entries: readonly string[]): HostPort[] {
  return entries.map((entry) => {
    const hp = parseAuthority(bracketed(entry));
    if (!hp) throw new Error(`--allow-host ${entry}: give a host name or address, optionally with :PORT`);
    return hp;
  });
}

/**
 * The names this server answers to: localhost, 127.0.0.1 and [::1] on `port`, the listen `host` on
 * `port` (with a wildcard 0.0.0.0 / :: also this machine's interface addresses, which no DNS answer
 * can rebind), and the `allowHosts` (from parseAllowHosts).
 */
export function createHostGuard(opts: { port: number; host: string; allowHosts?: readonly HostPort[] }): HostGuard {
  const allowed: HostPort[] = [...(opts.allowHosts ?? [])];
  const ours = (name: string) => {
    const hp = parseAuthority(bracketed(name));
    if (hp) allowed.push({ name: hp.name, port: opts.port });
  };
  LOOPBACK.forEach(ours);
  ours(opts.host);
  if (WILDCARD.has(bracketed(opts.host))) {
    for (const nic of Object.values(os.networkInterfaces()).flat()) if (nic) ours(nic.address.split('%')[0]!);
  }
  const matches = (hp: HostPort) => allowed.some((a) => a.name === hp.name && (a.port === undefined || a.port === hp.port));

  return {
    hostAllowed(host) {
      const hp = host === undefined ? undefined : parseAuthority(host);
      return hp !== undefined && matches({ name: hp.name, port: hp.port ?? 80 });
    },
    originAllowed(origin) {
      if (origin === undefined) return true;
      if (!URL.canParse(origin)) return false;
      const u = new URL(origin);
      // Browsers send the serialized origin exactly; anything else (a path, `null`, another scheme) is not one of ours.
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== origin) return false;
      return matches({ name: u.hostname, port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 });
    },
  };
}

/** True for `application/json` with or without parameters (RFC 9110 §8.3.1: type/subtype is case-insensitive). */
export function isJson(contentType: string | undefined): boolean {
  return contentType?.split(';')[0]!.trim().toLowerCase() === 'application/json';
}
