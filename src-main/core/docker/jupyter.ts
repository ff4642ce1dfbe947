// Jupyter's "server is running at" link, found in a container's log and rewritten to the address and
// port the engine published it on.
//
// The shapes come from Jupyter's own code:
// - jupyter_server ServerApp (JupyterLab 3/4, Notebook 7): `_get_urlparts` builds
//   `<http|https (certfile)>://<ip, [ipv6] or localhost>:<port><base_url + default_url>?token=<urlencoded>`;
//   `display_url` prints it, then a second line `    http://127.0.0.1:<port>…` (older: ` or http://…`);
//   "To access the server, open this file in a browser: file:///… Or copy and paste one of these URLs:"
//   repeats them. A token set in config is printed as `?token=...` (never the token itself); a
//   password-only or token-less server prints no token at all.
// - classic Notebook 5/6 NotebookApp: `http://(<hostname> or 127.0.0.1):8888/?token=…`,
//   "The Jupyter Notebook is running at: http://0.0.0.0:8888/", and on 5.0–5.6 with ip='*'
//   `http://[all ip addresses on your system]:8888/`.
// - Both warn "All authentication is disabled." (or "… listening on all IP addresses and not using
//   authentication") when neither a token nor a password protects the server.
import type { ContainerPort, JupyterLink } from '@shared/contract';

/** One log line (only its text is read). */
interface Line {
  text: string;
}

// Terminal colours: Jupyter colours its log prefix when the container has a TTY.
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// The log prefix of Jupyter's formatter: "[I 07:28:25.795 NotebookApp]", "[C 2024-01-05 10:00:00.123 ServerApp]".
const PREFIX = String.raw`(?:\[[A-Z] [^\]]*\]\s*)?`;
// What may stand before the URL on an announcement line: "… is running at:", "or", nothing.
const LEAD = String.raw`(?:.*\bis running at:\s*|or\s+)?`;
// Host forms: "(a1b2c3d4e5f6 or 127.0.0.1)", "[::1]", "[all ip addresses on your system]", a name or IPv4.
const HOST = String.raw`(\([^)]*\)|\[[^\]]*\]|[^\s/?#:()[\]]+)`;
// An announcement line: the URL is the whole remainder of the line (so URLs quoted inside other
// messages — an access log's referer=, an extension's request — are never mistaken for the server's).
const ANNOUNCEMENT = new RegExp(String.raw`^\s*${PREFIX}${LEAD}(https?):\/\/${HOST}:(\d{1,5})([/?#]\S*)?\s*$`);
const NO_AUTH = /All authentication is disabled|not using authentication/;

const isLoopback = (host: string): boolean => {
  if (host.startsWith('(')) return host.slice(1, -1).split(/\s+or\s+/).some((h) => isLoopback(h.trim()));
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
};

/** The address a browser on this machine uses for a binding: its HostIp unless that is a wildcard. */
export function publishedHost(hostIp: string | undefined): string {
  if (!hostIp || hostIp === '0.0.0.0' || hostIp === '::') return '127.0.0.1';
  return hostIp.includes(':') ? `[${hostIp}]` : hostIp;
}

/** The TCP binding of a container port, preferring one a browser here reaches (wildcard or loopback). */
function binding(ports: ContainerPort[], containerPort: number): ContainerPort | undefined {
  const bound = ports.filter((p) => p.containerPort === containerPort && p.hostPort && (p.protocol ?? 'tcp') === 'tcp');
  return bound.find((p) => isLoopback(publishedHost(p.hostIp))) ?? bound[0];
}

interface Candidate {
  line: number;
  loopback: boolean;
  /** The token as logged (URL-encoded), '...' when Jupyter hid it, '' when the URL has none. */
  token: string;
  url: string;
}

/** Parses one announcement line into a link on the published port, or null. */
function candidate(text: string, line: number, ports: ContainerPort[]): Candidate | null {
  const m = ANNOUNCEMENT.exec(text.replace(ANSI, ''));
  if (!m) return null;
  const [, scheme, host, port, rawRest = '/'] = m as unknown as [string, string, string, string, string | undefined];
  const bound = binding(ports, Number(port));
  if (!bound?.hostPort) return null; // never a link to a port the engine did not publish
  const rest = rawRest.replace(/#.*$/, '');
  const q = rest.indexOf('?');
  const path = (q < 0 ? rest : rest.slice(0, q)) || '/';
  const params = q < 0 ? [] : rest.slice(q + 1).split('&').filter(Boolean);
  const tokenParam = params.find((p) => p.startsWith('token='));
  const token = tokenParam ? tokenParam.slice('token='.length) : '';
  // "?token=..." means "a token from config, not logged": the link opens the login page instead.
  const kept = params.filter((p) => !(p.startsWith('token=') && (token === '...' || token === '')));
  let url: string;
  try {
    // Normalised as a browser would (a path no browser could open is no link).
    url = new URL(`${scheme}://${publishedHost(bound.hostIp)}:${bound.hostPort}${path}${kept.length ? `?${kept.join('&')}` : ''}`).href;
  } catch {
    return null;
  }
  return { line, loopback: isLoopback(host), token, url };
}

/**
 * Finds the link of the Jupyter server whose announcement is newest in `lines` and rewrites it to
 * the published host address (the binding's HostIp, or 127.0.0.1 for 0.0.0.0 / :: / none) and host
 * port of the logged container port (TCP). Among the URLs of that announcement (same token) the
 * loopback one (127.0.0.1, localhost, ::1, "(x or 127.0.0.1)") is preferred. Returns null when no
 * announcement names a published port. `authenticated`: true when the URL carries a token (shown or
 * hidden as "..."), false when the log since the previous announcement says authentication is
 * disabled, null when the URL has no token and the log says nothing (a password may protect it).
 */
export function findJupyter(lines: Line[], ports: ContainerPort[]): JupyterLink | null {
  const found: Candidate[] = [];
  for (let i = 0; i < lines.length; i++) {
    const c = candidate(lines[i]!.text, i, ports);
    if (c) found.push(c);
  }
  const newest = found.at(-1);
  if (!newest) return null;
  // One announcement (one server start) shares its token; an earlier start had another one.
  let start = found.length - 1;
  while (start > 0 && found[start - 1]!.token === newest.token) start--;
  const run = found.slice(start);
  const chosen = [...run].reverse().find((c) => c.loopback) ?? newest;
  let authenticated: boolean | null = newest.token ? true : null;
  if (!newest.token) {
    const from = start > 0 ? found[start - 1]!.line + 1 : 0;
    if (lines.slice(from).some((l) => NO_AUTH.test(l.text))) authenticated = false;
  }
  return { url: chosen.url, authenticated };
}
