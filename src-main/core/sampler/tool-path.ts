// The paths a user may set for nvidia-smi and tegrastats (settings.metrics) name programs the app
// runs at once and at every restart, so a path is a way to run code unless it is checked: only the
// tool itself, in a place only root or this app's user can change, is accepted.
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

export type ToolName = 'nvidia-smi' | 'tegrastats';

export interface ToolPathEnv {
  /** Defaults to process.platform; on Windows only the name and the file kind are checked. */
  platform?: NodeJS.Platform;
  /** This app's user id (process.getuid()): files it owns are trusted, as are root's. */
  uid?: number;
}

const mode = (s: Stats) => `0${(s.mode & 0o7777).toString(8)}`;

/** A file or folder only root or `uid` can change: owned by one of them, not writable by group or others. */
function ownership(s: Stats, uid: number, what: string): string | null {
  if (s.uid !== 0 && s.uid !== uid) return `${what} is owned by uid ${s.uid}, neither root nor this app's user (uid ${uid})`;
  if (s.mode & 0o022) return `${what} is writable by its group or others (mode ${mode(s)})`;
  return null;
}

/** A folder where nobody but root or `uid` can swap a file: as ownership(), or sticky (like /tmp) and owned by them. */
function folderOwnership(dir: string, uid: number): string | null {
  const s = statSync(dir);
  if (s.uid !== 0 && s.uid !== uid) return `its folder ${dir} is owned by uid ${s.uid}, neither root nor this app's user (uid ${uid})`;
  if (s.mode & 0o022 && !(s.mode & 0o1000)) return `its folder ${dir} is writable by its group or others (mode ${mode(s)})`;
  return null;
}

/**
 * Why `p` must not be run as `tool`, or null when it may: it must be absolute; its file name must be
 * the tool's (nvidia-smi.exe / tegrastats.exe on Windows); after resolving symlinks it must be a regular
 * executable file whose name starts with the tool's; and the target, the folder holding it and the
 * folder holding the link (when `p` is one) must be owned by root or this app's user and not writable
 * by group or others (a sticky folder such as /tmp may be). One sentence naming the path; never throws.
 * Run before every spawn: a file changed after the setting was saved is refused at the next start.
 */
export function toolPathProblem(p: string, tool: ToolName, env: ToolPathEnv = {}): string | null {
  const platform = env.platform ?? process.platform;
  const windows = platform === 'win32';
  const paths = windows ? path.win32 : path.posix;
  const expected = windows ? `${tool}.exe` : tool;
  const shown = JSON.stringify(p.length > 200 ? `${p.slice(0, 200)}…` : p);
  const refuse = (why: string) => `the ${tool} path ${shown} is refused: ${why}`;
  if (/[\0-\x1f\x7f]/.test(p)) return refuse('it contains a control character');
  if (!paths.isAbsolute(p)) return refuse('it is not an absolute path');
  const name = paths.basename(p);
  if (windows ? name.toLowerCase() !== expected : name !== expected) return refuse(`its file name is ${JSON.stringify(name)}, not ${expected}`);
  try {
    const link = lstatSync(p);
    const target = realpathSync(p);
    const s = statSync(target);
    const via = link.isSymbolicLink() ? ` (the target of the link, ${target})` : '';
    if (!s.isFile()) return refuse(`it${via} is not a regular file`);
    const targetName = paths.basename(target);
    if (!(windows ? targetName.toLowerCase() : targetName).startsWith(tool)) return refuse(`the link points to ${target}, which is not ${tool}`);
    if (windows) return null; // no POSIX owners or modes to check
    const uid = env.uid ?? process.getuid?.() ?? 0;
    if (!(s.mode & 0o111)) return refuse(`it${via} is not executable (mode ${mode(s)})`);
    const problem =
      ownership(s, uid, `it${via}`) ??
      folderOwnership(path.dirname(target), uid) ??
      (link.isSymbolicLink() ? folderOwnership(path.dirname(p), uid) : null);
    return problem ? refuse(problem) : null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return refuse(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'it cannot be read (permission denied)' : (e as Error).message);
  }
}
