// What the local Docker engine can grant a container's ulimits. runc sets a container's rlimits from
// the engine's own processes (dockerd → containerd → shim → runc, each inheriting the limits of its
// parent): with CAP_SYS_RESOURCE it may set any value, without it (a rootless dockerd, a sandboxed or
// restricted one) no hard limit above its own, and a larger `--ulimit` fails the start with
// "error setting rlimit type 8: operation not permitted". NVIDIA's `--ulimit memlock=-1` is the usual
// victim, so the one-click plan asks here how much locked memory the engine can give.
//
// Read from /proc (proc(5), capabilities(7), user_namespaces(7)); Linux only: elsewhere (macOS, Windows,
// an engine in a VM) nothing is found and the answer is "not known". The process read is dockerd's;
// where containerd runs as a service of its own (not dockerd's child) its limits could differ — not
// covered: a start that still fails is explained by toAppError (errors.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A limit as /proc prints it: a number, or "unlimited" (RLIM_INFINITY). */
export type RlimitValue = number | 'unlimited';

/** One row of /proc/<pid>/limits. */
export interface ProcLimit {
  /** The kernel's name of the limit: "Max locked memory", "Max stack size", "Max open files"… */
  name: string;
  soft: RlimitValue;
  hard: RlimitValue;
  /** "bytes", "seconds", "files", "us"…; null for the rows printed without one (nice and realtime priority). */
  units: string | null;
}

/** capabilities(7): the bit of CAP_SYS_RESOURCE, which lets a process raise a hard rlimit. */
export const CAP_SYS_RESOURCE = 24;

const ROW = /^(\S.*?)\s+(unlimited|\d+)\s+(unlimited|\d+)(?:\s+(\S+))?\s*$/;

/** A count the kernel printed (%lu) as a number; values past 2^53−1 become 2^53−1, which stays below them (a limit read is never overstated). */
function count(text: string): RlimitValue {
  if (text === 'unlimited') return 'unlimited';
  const n = BigInt(text);
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/**
 * The rows of /proc/<pid>/limits. The grammar is the kernel's (fs/proc/base.c, proc_pid_limits;
 * proc(5)): a header `Limit  Soft Limit  Hard Limit  Units`, then one row per rlimit printed as
 * `%-25s %-20s %-20s %-10s`: a name of words (no digits), the soft and the hard limit, each a decimal
 * count or "unlimited", and the units, absent for the priorities. Blank lines are skipped.
 * Throws Error naming the first line that does not follow it.
 */
export function parseProcLimits(text: string): ProcLimit[] {
  const rows: ProcLimit[] = [];
  const lines = text.split('\n');
  if (!/^Limit\s+Soft Limit\s+Hard Limit\s+Units\s*$/.test(lines[0] ?? '')) {
    throw new Error(`not a /proc/<pid>/limits file: its first line is ${JSON.stringify(lines[0] ?? '')}, not the header "Limit Soft Limit Hard Limit Units"`);
  }
  lines.slice(1).forEach((line, i) => {
    if (!line.trim()) return;
    const m = ROW.exec(line);
    if (!m) throw new Error(`line ${i + 2} of a /proc/<pid>/limits file is not "name soft hard [units]": ${JSON.stringify(line)}`);
    rows.push({ name: m[1]!, soft: count(m[2]!), hard: count(m[3]!), units: m[4] ?? null });
  });
  return rows;
}

/** The CapEff line of /proc/<pid>/status (proc(5): the effective set as hexadecimal) as a bit set. Throws Error when the line is missing. */
export function effectiveCapabilities(status: string): bigint {
  const m = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(status);
  if (!m) throw new Error('no CapEff line in the /proc/<pid>/status file');
  return BigInt(`0x${m[1]}`);
}

export const hasCapability = (caps: bigint, bit: number): boolean => ((caps >> BigInt(bit)) & 1n) === 1n;

/**
 * A process's /proc/<pid>/uid_map (user_namespaces(7): rows `inside outside count`) is the initial
 * user namespace's identity map `0 0 4294967295`. Only there does CAP_SYS_RESOURCE raise rlimits:
 * a rootless dockerd holds every capability, but in its own user namespace.
 */
export function isInitialUserNamespace(uidMap: string): boolean {
  const rows = uidMap.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
  return rows.length === 1 && rows[0] === '0 0 4294967295';
}

/** What the engine's dockerd can grant. */
export interface EngineLimits {
  /** dockerd's process id. */
  pid: number;
  /** dockerd's RLIMIT_MEMLOCK ("Max locked memory"), in bytes. */
  memlock: { soft: RlimitValue; hard: RlimitValue };
  /** dockerd may raise any rlimit: CAP_SYS_RESOURCE in its effective set, in the initial user namespace. */
  canRaise: boolean;
}

/**
 * The largest memlock a container can have on the engine, in bytes, as Docker's `--ulimit memlock=`
 * takes it; null when any value (-1, unlimited) can be granted or when it is not known.
 */
export function memlockMax(limits: EngineLimits | null): number | null {
  if (!limits || limits.canRaise || limits.memlock.hard === 'unlimited') return null;
  return limits.memlock.hard;
}

/** The limits of process `pid` read from `procRoot`. Throws Error (a file missing, one that does not follow its grammar). */
export function readProcessLimits(pid: number, procRoot = '/proc'): EngineLimits {
  const file = (name: string) => readFileSync(path.join(procRoot, String(pid), name), 'utf8');
  const row = parseProcLimits(file('limits')).find((r) => r.name === 'Max locked memory');
  if (!row) throw new Error(`/proc/${pid}/limits has no "Max locked memory" row`);
  const canRaise = hasCapability(effectiveCapabilities(file('status')), CAP_SYS_RESOURCE) && isInitialUserNamespace(file('uid_map'));
  return { pid, memlock: { soft: row.soft, hard: row.hard }, canRaise };
}

const comm = (pid: string, procRoot: string): string | null => {
  try {
    return readFileSync(path.join(procRoot, pid, 'comm'), 'utf8').trim();
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
};

/**
 * The dockerd serving the engine at `socketPath`, as a process id; null when none is found.
 * 1. The pidfile beside the socket: dockerd's defaults put both in one folder — /var/run/docker.sock
 *    and /var/run/docker.pid for a root dockerd, $XDG_RUNTIME_DIR/docker.sock and docker.pid for a
 *    rootless one — and the process it names must be a dockerd (a stale pidfile names another).
 * 2. Else, only for a socket in a run folder (/run, /var/run, $XDG_RUNTIME_DIR; not, say, Docker
 *    Desktop's, whose engine is in a VM), the one process named `dockerd` in /proc/<pid>/comm; none or
 *    several → null.
 */
export function findDockerd(socketPath: string, procRoot = '/proc', env: NodeJS.ProcessEnv = process.env): number | null {
  const dir = path.dirname(socketPath);
  try {
    const pid = readFileSync(path.join(dir, 'docker.pid'), 'utf8').trim();
    if (/^\d+$/.test(pid) && comm(pid, procRoot) === 'dockerd') return Number(pid);
  } catch {
    // no pidfile there: look for the process
  }
  const runDirs = ['/run', '/var/run', env.XDG_RUNTIME_DIR].filter((d): d is string => !!d).map((d) => path.resolve(d));
  if (!runDirs.includes(path.resolve(dir))) return null;
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((p) => /^\d+$/.test(p) && comm(p, procRoot) === 'dockerd');
  } catch {
    return null; // no /proc: not Linux
  }
  return pids.length === 1 ? Number(pids[0]) : null;
}

/**
 * The limits of the local engine's dockerd, the engine reached on `socketPath` (null over TCP or SSH:
 * its host is not this one); null when it is not known — no dockerd found, its /proc files unreadable
 * or not as proc(5) describes. Never throws: an unknown engine keeps NVIDIA's defaults.
 */
export function readEngineLimits(socketPath: string | null, procRoot = '/proc', env: NodeJS.ProcessEnv = process.env): EngineLimits | null {
  if (socketPath === null) return null;
  const pid = findDockerd(socketPath, procRoot, env);
  if (pid === null) return null;
  try {
    return readProcessLimits(pid, procRoot);
  } catch {
    return null;
  }
}
