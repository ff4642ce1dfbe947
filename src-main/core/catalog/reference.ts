// An image reference as the user types it ([registry/]path[:tag]) → where the image lives, by
// Docker's own rules (distribution/reference ParseNormalizedNamed): the first path component is a
// registry when it has a "." or a ":" or is "localhost"; otherwise the image is on Docker Hub
// (docker.io), where a one-component name lives under library/.
import { checkImageRef } from '@shared/launch';

export interface ImageLocation {
  /** Registry host[:port] (docker.io for Docker Hub). */
  registry: string;
  /** The repository path on that registry (library/python, nvidia/pytorch). */
  path: string;
  tag: string | null;
}

/**
 * Splits a reference; throws (UnitError from checkImageRef, or an Error) with one sentence for a
 * malformed one, or one that pins a digest (the catalog lists tags).
 */
export function parseImageLocation(text: string): ImageLocation {
  const ref = checkImageRef(text);
  if (ref.includes('@')) throw new Error(`"${text}" pins a digest: give the image with a tag or without one, such as 127.0.0.1:5000/team/app:1.0`);
  if (/^sha256:/.test(ref) || /^[0-9a-f]{64}$/.test(ref)) throw new Error(`"${text}" is an image id, not a name on a registry`);
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  let rest = hasRegistry ? ref.slice(slash + 1) : ref;
  const colon = rest.lastIndexOf(':');
  let tag: string | null = null;
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const path = registry === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  return { registry: registry === 'index.docker.io' ? 'docker.io' : registry, path, tag };
}

/** A loopback registry host (localhost, 127.0.0.0/8, [::1]): Docker talks plain HTTP to these by default. */
export const isLoopbackHost = (host: string) => /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/.test(host);

/** Where a registry's API answers: Docker Hub's at registry-1.docker.io; loopback hosts over http, the rest over https. */
export function registryBaseUrl(host: string): string {
  if (host === 'docker.io') return 'https://registry-1.docker.io';
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${host}`;
}

/** A mirror setting (host[:port] or http(s)://host[:port]) → its API base URL and the host Docker pulls from. */
export function mirrorTarget(mirror: string): { host: string; baseUrl: string } {
  const m = /^(https?):\/\/([^/]+)\/?$/.exec(mirror);
  if (m) return { host: m[2]!, baseUrl: `${m[1]}://${m[2]}` };
  const host = mirror.replace(/\/$/, '');
  return { host, baseUrl: registryBaseUrl(host) };
}
