// Parsers for the non-numeric parts of a launch (ports, env, names, image references, probe paths;
// volumes.ts reads -v, command.ts splits commands). Shared by the core's contract validation and the renderer's launch form.
import { envEntryForMessage } from './secret-env';
import { UnitError } from './units';

export interface PortMapping {
  containerPort: number;
  protocol: 'tcp' | 'udp';
  /** 0 = let the engine pick a free port. */
  hostPort: number;
  hostIp?: string;
}

const portNumber = (s: string, what: string, text: string, allowZero: boolean): number => {
  const n = Number(s);
  if (!/^\d+$/.test(s) || n > 65535 || (!allowZero && n === 0)) {
    throw new UnitError(`"${text}": ${what} ${s} is not a port (1–65535${allowZero ? ', or 0 for any free port' : ''})`);
  }
  return n;
};

/** "80" (any free host port), "8080:80", "0:80", "127.0.0.1:8080:80", each optionally "/tcp" or "/udp". */
export function parsePort(text: string): PortMapping {
  const [spec, proto = 'tcp', ...extra] = text.trim().split('/');
  if (extra.length || (proto !== 'tcp' && proto !== 'udp') || !spec) {
    throw new UnitError(`"${text}" is not a port mapping: use [host-ip:][host-port:]container-port[/tcp|/udp], such as 8888:8888, 0:80 or 80`);
  }
  const parts = spec.split(':');
  if (parts.length > 3) throw new UnitError(`"${text}" is not a port mapping: use [host-ip:][host-port:]container-port[/tcp|/udp]`);
  const containerPort = portNumber(parts.at(-1)!, 'container port', text, false);
  const hostPort = parts.length >= 2 ? portNumber(parts.at(-2)!, 'host port', text, true) : 0;
  const hostIp = parts.length === 3 ? parts[0]! : undefined;
  if (hostIp !== undefined && !/^(\d{1,3}\.){3}\d{1,3}$/.test(hostIp)) throw new UnitError(`"${text}": host address ${hostIp} is not an IPv4 address`);
  return { containerPort, protocol: proto, hostPort, ...(hostIp ? { hostIp } : {}) };
}

/**
 * "KEY=value" (value may be empty). The message of a refused entry names it without its value
 * (envEntryForMessage: "NGC_API_KEY=…"), since it reaches the journal and the UI.
 */
export function parseEnv(text: string): { key: string; value: string } {
  const i = text.indexOf('=');
  const key = i < 0 ? text : text.slice(0, i);
  if (i < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new UnitError(
      `${envEntryForMessage(text)} is not an environment variable: use NAME=value, where NAME has letters, digits and _ and does not start with a digit`,
    );
  }
  return { key, value: text.slice(i + 1) };
}

/** Docker's own rule for container names. */
export function checkContainerName(text: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(text) || text.length > 128) {
    throw new UnitError(`"${text}" is not a container name: use 2–128 letters, digits, _ . or -, starting with a letter or digit`);
  }
  return text;
}

/**
 * What names a container in a request (and so in an Engine API path such as /containers/{id}/stop):
 * a hex id of 12–64 characters (short or full) or a container name by Docker's rule. Anything
 * else (a slash, "..", spaces) is refused before it can reach an engine.
 */
export function checkContainerRef(text: string): string {
  if (/^[a-f0-9]{12,64}$/.test(text)) return text;
  if (/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(text) && text.length <= 128) return text;
  throw new UnitError(`"${text.slice(0, 140)}" is neither a container id (12–64 hex digits) nor a container name (2–128 letters, digits, _ . or -, starting with a letter or digit)`);
}

export const MAX_PROBE_PATH = 1024;

/**
 * The path of an HTTP probe (the request target of its GET, RFC 9112 origin-form): "/" then visible
 * ASCII only — other characters percent-encoded, no spaces or control characters, which Node's
 * HTTP client refuses — at most 1024 characters, and a valid URL against any http base.
 */
export function checkProbePath(text: string): string {
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  if (!text.startsWith('/')) throw new UnitError(`probe path ${shown} must start with /`);
  if (text.length > MAX_PROBE_PATH) throw new UnitError(`probe path ${shown} is longer than ${MAX_PROBE_PATH} characters`);
  if (!/^[\x21-\x7e]+$/.test(text)) {
    throw new UnitError(`probe path ${shown} has a space, a control character or a non-ASCII character: percent-encode it (%20 for a space)`);
  }
  if (!URL.canParse(text, 'http://probe.invalid')) throw new UnitError(`probe path ${shown} is not a valid URL path`);
  return text;
}

// The distribution reference grammar, simplified: [registry[:port]/]path[:tag][@sha256:digest].
// A first component is a registry only with a dot, a port or as localhost (else it is part of the lower-case path).
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `(?:(?:localhost|${LABEL}(?:\\.${LABEL})+|${LABEL}(?:\\.${LABEL})*:\\d{1,5})(?::\\d{1,5})?/)?`;
const PATH = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';
const IMAGE_REF = new RegExp(`^${DOMAIN}${PATH}(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);

export function checkImageRef(text: string): string {
  const t = text.trim();
  if (!IMAGE_REF.test(t) || t.length > 255) {
    throw new UnitError(
      `"${text}" is not an image reference: use [registry/]name[:tag][@sha256:digest] with a lower-case name, such as nvcr.io/nvidia/pytorch:25.12-py3 or busybox:latest`,
    );
  }
  return t;
}
