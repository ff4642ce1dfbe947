// Parsers for the non-numeric parts of a launch (ports, env, volumes, names, image references,
// commands). Shared by the core's contract validation and the renderer's launch form.
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

/** "KEY=value" (value may be empty). */
export function parseEnv(text: string): { key: string; value: string } {
  const i = text.indexOf('=');
  const key = i < 0 ? text : text.slice(0, i);
  if (i < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new UnitError(`"${text}" is not an environment variable: use NAME=value, where NAME has letters, digits and _ and does not start with a digit`);
  }
  return { key, value: text.slice(i + 1) };
}

export interface VolumeMount {
  source: string;
  target: string;
  readOnly: boolean;
}

/** "/host/folder:/container/folder[:ro|:rw]" or "named-volume:/container/folder". */
export function parseVolume(text: string): VolumeMount {
  const parts = text.trim().split(':');
  const mode = parts.length === 3 ? parts[2] : undefined;
  const [source, target] = parts;
  const accepted = 'use /host/folder:/container/folder, optionally followed by :ro or :rw, or volume-name:/container/folder';
  if (parts.length < 2 || parts.length > 3 || !source || !target || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
    throw new UnitError(`"${text}" is not a volume: ${accepted}`);
  }
  const sourceOk = source.startsWith('/') ? !source.split('/').includes('..') : /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(source);
  if (!sourceOk) throw new UnitError(`"${text}": ${source} is neither an absolute host path (without ..) nor a volume name; ${accepted}`);
  if (!target.startsWith('/') || target.split('/').includes('..')) {
    throw new UnitError(`"${text}": the container path ${target} must be absolute and must not contain ..`);
  }
  return { source, target, readOnly: mode === 'ro' };
}

/** Docker's own rule for container names. */
export function checkContainerName(text: string): string {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(text) || text.length > 128) {
    throw new UnitError(`"${text}" is not a container name: use 2–128 letters, digits, _ . or -, starting with a letter or digit`);
  }
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

/** Splits a command line as a shell would for words: whitespace separates, '…' and "…" group. */
export function splitCommand(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let started = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += ch;
      started = true;
    }
  }
  if (quote) throw new UnitError(`"${text}" has an unclosed ${quote} quote`);
  if (started) out.push(cur);
  return out;
}
