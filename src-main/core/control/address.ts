// Where the owner's control socket lives: <data>/running/control.sock (a unix socket, 0600 in a 0700
// folder), or on Windows the named pipe \\.\pipe\mlenv-<hash of the data folder>.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ownerDir } from '../owner';

export const CONTROL_SOCKET = 'control.sock';

/** sun_path holds 108 bytes on Linux and 104 on macOS, the terminating NUL included. */
const MAX_SOCKET_PATH = 103;

const hashOf = (dataDir: string, platform: NodeJS.Platform) =>
  createHash('sha256')
    .update(platform === 'win32' ? dataDir.toLowerCase() : dataDir) // Windows paths are case-insensitive
    .digest('hex')
    .slice(0, 16);

/**
 * The control socket's address for `dataDir` (an absolute path). A data folder too deep for a unix
 * socket's path gets one in a private folder of the temporary directory instead,
 * <tmp>/mlenv-<uid>/<hash>.sock, as tmux does.
 */
export function controlAddress(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\mlenv-${hashOf(dataDir, platform)}`;
  const inside = path.join(ownerDir(dataDir), CONTROL_SOCKET);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside;
  return path.join(os.tmpdir(), `mlenv-${process.getuid?.() ?? 0}`, `${hashOf(dataDir, platform)}.sock`);
}

/**
 * Makes sure the folder of a unix socket address is this user's alone (0700, owned by us) before a
 * socket is created in it. The data folder's running/ is made so by the owner lock; the temporary
 * directory's fallback folder is created here and refused when another user owns it or can enter it.
 */
export function privateSocketFolder(address: string): void {
  const dir = path.dirname(address);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) throw new Error(`${dir} is not a folder of this user's; the control socket is not created there`);
  if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}
