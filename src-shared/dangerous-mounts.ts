// Bind mounts that hand a container the host: a container engine's API socket (root on the host by
// another name), the whole file system, or a system folder. A launch binds them only when the user
// says so (`allowDangerousMounts`); the contract and the launch form both use this one rule.
import { bindSpec, type VolumeMount } from './volumes';

const ENGINE_API = 'a container engine’s API socket, which gives the container full control of the engine and so root on the host';
const ENGINE_DIR = 'the folder holding a container engine’s API socket or its data, which gives the container full control of the engine and so root on the host';

// Folders named in the issue (/, /etc, /root, /proc), and /sys, /boot and /dev added because each is as
// direct a way to the host: /sys writes kernel and device settings, /boot holds the kernel and boot
// loader a container could replace, /dev holds raw disks and memory. Only the folder itself is
// refused: /etc/localtime:ro or /dev/shm are common and harmless.
const SYSTEM: Record<string, string> = {
  '/': 'the host’s whole file system',
  '/etc': 'the host’s system configuration (users, password hashes, sudoers, services), so writing there is root on the host',
  '/root': 'the root user’s home (SSH keys, credentials)',
  '/proc': 'the host’s processes and kernel settings',
  '/sys': 'the host’s kernel and device settings',
  '/boot': 'the host’s kernel and boot loader',
  '/dev': 'the host’s raw devices (disks, memory)',
};

// The engines' standard socket paths and Docker's data root: binding a folder above them exposes them.
const ENGINE_PATHS = ['/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/run/podman/podman.sock', '/var/lib/docker'];
// Socket file names of Docker, Podman and containerd (rootless ones live under $XDG_RUNTIME_DIR).
const SOCKET_NAME = /(^|[\\/])[^\\/]*(docker|podman|containerd)\.sock$/;

/**
 * A host path as the kernel reads it, for comparison: repeated and trailing slashes and "." segments
 * dropped ("//etc/./" → "/etc"). Windows paths: backslashes as slashes, drive letter upper-case.
 */
export function normalizeHostPath(p: string): string {
  const win = /^[A-Za-z]:/.test(p);
  const parts = p.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  if (win) return `${parts[0]!.toUpperCase()}/${parts.slice(1).join('/')}`;
  return `/${parts.join('/')}`;
}

const isAncestorOrSame = (folder: string, p: string) => folder === p || p.startsWith(folder === '/' ? '/' : `${folder}/`);

/**
 * Why binding this mount's source is dangerous, as a phrase ("the host’s whole file system"), or null
 * when it is not (named and anonymous volumes never are). Dangerous: a path ending in docker.sock,
 * podman.sock or containerd.sock; any of `engineSockets` (the engine's own socket, whatever its name)
 * or a folder above one; a folder above the standard engine sockets or Docker's data root (/run,
 * /var/run, /var, /var/lib, /var/lib/docker, /run/containerd, /run/podman); /, /etc, /root, /proc,
 * /sys, /boot and /dev themselves; a Windows drive's root (C:\). Read-only does not make it safe: a
 * socket answers whatever the mount mode, and reading /etc or /root already leaks secrets.
 */
export function mountRisk(v: VolumeMount, engineSockets: readonly string[] = []): string | null {
  if (v.type !== 'bind') return null;
  const p = normalizeHostPath(v.source);
  if (/^[A-Z]:\/$/.test(p)) return 'a whole Windows drive';
  if (SOCKET_NAME.test(p)) return ENGINE_API;
  const sockets = engineSockets.map(normalizeHostPath);
  if (sockets.includes(p)) return ENGINE_API;
  if (p !== '/' && [...sockets, ...ENGINE_PATHS].some((s) => isAncestorOrSame(p, s))) return ENGINE_DIR;
  return SYSTEM[p] ?? null;
}

export interface DangerousMount {
  /** The -v value as written. */
  mount: string;
  /** What it gives the container, as a phrase. */
  risk: string;
}

/** The mounts of a launch that need `allowDangerousMounts`, in order. */
export function dangerousMounts(volumes: readonly VolumeMount[] | undefined, engineSockets: readonly string[] = []): DangerousMount[] {
  const out: DangerousMount[] = [];
  for (const v of volumes ?? []) {
    const risk = mountRisk(v, engineSockets);
    if (risk) out.push({ mount: bindSpec(v), risk });
  }
  return out;
}

/** The one sentence a refused launch gives for a dangerous mount. */
export const dangerousMountMessage = (d: DangerousMount): string =>
  `the bind mount ${d.mount} exposes ${d.risk}; launch it only if you trust the image, with allowDangerousMounts (the form’s “Allow dangerous mounts”)`;
