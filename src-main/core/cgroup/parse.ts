// Pure parsers of the cgroup and /proc files a container's figures come from, each by its
// documented grammar:
// - cgroup v1: Documentation/admin-guide/cgroup-v1/memory.rst (memory.usage_in_bytes,
//   memory.max_usage_in_bytes, memory.limit_in_bytes, memory.stat), cpuacct.rst (cpuacct.usage, ns),
//   blkio-controller.rst (blkio.*io_service_bytes*), freezer-subsystem.rst (freezer.state), pids.rst.
// - cgroup v2: Documentation/admin-guide/cgroup-v2.rst, "Interface Files" — single value files
//   (memory.current, memory.peak, memory.max with "max", pids.current), flat keyed files (memory.stat,
//   cpu.stat, cgroup.events), nested keyed files (io.stat).
// - proc(5): /proc/<pid>/cgroup, /proc/<pid>/mountinfo, /proc/<pid>/net/dev.
// Every parser takes the file's whole text and never throws: what is not of the grammar is left out
// (a key) or reported as undefined (a value).

/**
 * A single value file: one unsigned decimal integer and a newline (v1 `memory.usage_in_bytes`,
 * `cpuacct.usage`; v2 `memory.current`, `memory.peak`, `pids.current`). v2 limit files hold the word
 * `max` when there is no limit: that reads as `'max'`. Undefined when the text is neither.
 */
export function parseSingleValue(text: string): number | 'max' | undefined {
  const t = text.trim();
  if (t === 'max') return 'max';
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

/**
 * A flat keyed file (cgroup-v2.rst: "KEY0 VAL0\nKEY1 VAL1\n…"; v1 memory.stat is written the same
 * way): each line's key and its unsigned integer value. Lines of another shape are skipped.
 */
export function parseFlatKeyed(text: string): Map<string, number> {
  const out = new Map<string, number>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', start);
    if (space > start && space < end) {
      const value = text.slice(space + 1, end).trim();
      if (/^\d+$/.test(value)) out.set(text.slice(start, space), Number(value));
    }
    start = end + 1;
  }
  return out;
}

/**
 * One key's value in a flat keyed file without parsing the rest (the sampler reads a few keys of
 * memory.stat's ~40–70 each tick); undefined when the key is absent or its value is not a number.
 */
export function flatKeyedGet(text: string, key: string): number | undefined {
  const at = text.startsWith(`${key} `) ? 0 : text.indexOf(`\n${key} `);
  if (at < 0) return undefined;
  const from = at === 0 ? key.length + 1 : at + key.length + 2;
  let end = text.indexOf('\n', from);
  if (end < 0) end = text.length;
  const value = text.slice(from, end).trim();
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * v2 `io.stat`, a nested keyed file: one line per device, "MAJ:MIN rbytes=… wbytes=… rios=… wios=…
 * dbytes=… dios=…" (a device with no I/O may be absent; an empty file is no I/O yet). Bytes read and
 * written summed over the devices, as runc's fs2 statIo maps rbytes/wbytes to the Read/Write entries
 * docker counts.
 */
export function parseIoStat(text: string): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of text.split('\n')) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    if (!device || !/^\d+:\d+$/.test(device)) continue;
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const value = Number(pair.slice(eq + 1));
      if (eq < 0 || !Number.isFinite(value)) continue;
      const key = pair.slice(0, eq);
      if (key === 'rbytes') read += value;
      else if (key === 'wbytes') write += value;
    }
  }
  return { read, write };
}

/**
 * A v1 blkio statistics file (`blkio.throttle.io_service_bytes_recursive` and kin): lines
 * "MAJ:MIN Op value" with Op Read, Write, Sync, Async, Discard or Total, then one "Total value" line.
 * Bytes read and written as the docker CLI's calculateBlockIO counts them (ops beginning r/R and
 * w/W). `devices` is how many "MAJ:MIN" lines there were: runc takes the first file of its list that
 * has any (a file with only the "Total" line has none).
 */
export function parseBlkio(text: string): { read: number; write: number; devices: number } {
  let read = 0;
  let write = 0;
  let devices = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 3 || !/^\d+:\d+$/.test(f[0]!)) continue;
    const value = Number(f[2]);
    if (!Number.isFinite(value)) continue;
    devices++;
    const op = f[1]![0];
    if (op === 'r' || op === 'R') read += value;
    else if (op === 'w' || op === 'W') write += value;
  }
  return { read, write, devices };
}

/** Whether a container's processes are frozen: Docker's `pause` freezes them through the cgroup freezer. */
export type FreezerState = 'thawed' | 'freezing' | 'frozen';

/** v1 `freezer.state`: THAWED, FREEZING or FROZEN (freezer-subsystem.rst); undefined otherwise. */
export function parseFreezerStateV1(text: string): FreezerState | undefined {
  switch (text.trim()) {
    case 'THAWED':
      return 'thawed';
    case 'FREEZING':
      return 'freezing';
    case 'FROZEN':
      return 'frozen';
    default:
      return undefined;
  }
}

/**
 * v2: `cgroup.freeze` is what was asked ("0" or "1"), `cgroup.events`' `frozen` whether it is done
 * (cgroup-v2.rst, "Core Interface Files"). Frozen when the events say so (an ancestor's freeze
 * counts), freezing while asked but not yet done, thawed otherwise; undefined when neither file
 * reads as its grammar.
 */
export function freezerStateV2(freezeText: string | undefined, eventsText: string | undefined): FreezerState | undefined {
  const asked = freezeText === undefined ? undefined : parseSingleValue(freezeText);
  const frozen = eventsText === undefined ? undefined : parseFlatKeyed(eventsText).get('frozen');
  if (frozen === 1) return 'frozen';
  if (asked === 1) return 'freezing';
  if (asked === 0 || frozen === 0) return 'thawed';
  return undefined;
}

/** One line of /proc/<pid>/cgroup: hierarchy id, its controllers (empty for the v2 line "0::…"), the path. */
export interface ProcCgroupLine {
  hierarchy: number;
  controllers: string[];
  path: string;
}

/**
 * `/proc/<pid>/cgroup` (cgroups(7)): "hierarchy-ID:controller-list:cgroup-path" per line; the v2
 * line is "0::/path". The path is relative to the reader's cgroup namespace root and may itself
 * contain colons (everything after the second colon is the path).
 */
export function parseProcCgroup(text: string): ProcCgroupLine[] {
  const out: ProcCgroupLine[] = [];
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    if (b < 0 || !/^\d+$/.test(line.slice(0, a))) continue;
    const path = line.slice(b + 1);
    if (!path.startsWith('/')) continue;
    const list = line.slice(a + 1, b);
    out.push({ hierarchy: Number(line.slice(0, a)), controllers: list ? list.split(',') : [], path });
  }
  return out;
}

/** A cgroup filesystem mount from mountinfo: v1 with its controllers (and `name=` of a named hierarchy), or the v2 one. */
export interface CgroupMount {
  version: 1 | 2;
  /** The cgroup the mount shows at its mount point, relative to the reader's cgroup namespace ("/" normally). */
  root: string;
  mountPoint: string;
  /** v1: the controllers bound to it (e.g. ["cpu", "cpuacct"]) and any "name=systemd"; v2: empty. */
  controllers: string[];
}

/** mountinfo's octal escapes of space, tab, newline and backslash (proc(5)). */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The v1 controllers (cgroups(7)); a super option that is none of these nor `name=…` is a mount option (rw, xattr, release_agent=…). */
const V1_CONTROLLERS = new Set(['cpu', 'cpuacct', 'cpuset', 'memory', 'devices', 'freezer', 'net_cls', 'net_prio', 'blkio', 'perf_event', 'hugetlb', 'pids', 'rdma', 'misc', 'debug']);

/**
 * `/proc/<pid>/mountinfo` (proc(5)): "id parent major:minor root mount-point options [optional…] -
 * fstype source super-options". The cgroup mounts in it: filesystem type `cgroup` (v1, its
 * controllers among the super options) or `cgroup2` (the source field is free text and says
 * nothing: the type decides).
 */
export function parseCgroupMounts(text: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-', 6);
    if (dash < 0 || f.length < dash + 4) continue;
    const type = f[dash + 1];
    if (type !== 'cgroup' && type !== 'cgroup2') continue;
    const root = unescape(f[3]!);
    const mountPoint = unescape(f[4]!);
    if (type === 'cgroup2') {
      out.push({ version: 2, root, mountPoint, controllers: [] });
      continue;
    }
    const controllers = f[dash + 3]!.split(',').filter((o) => V1_CONTROLLERS.has(o) || o.startsWith('name='));
    out.push({ version: 1, root, mountPoint, controllers });
  }
  return out;
}

/**
 * `/proc/<pid>/net/dev` (proc(5)): two header lines, then "iface: rx_bytes rx_packets … tx_bytes …"
 * (the 1st and 9th numbers; the name may touch the first number). Bytes received and sent summed over
 * the interfaces other than `lo`, as Docker counts the sandbox's endpoint interfaces only; null when
 * there is no such interface (Docker then sends no `networks`: host or none network mode).
 */
export function parseNetDev(text: string): { rx: number; tx: number } | null {
  let rx = 0;
  let tx = 0;
  let seen = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (!name || name.includes('|') || name === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (f.length < 9 || !Number.isFinite(f[0]) || !Number.isFinite(f[8])) continue;
    rx += f[0]!;
    tx += f[8]!;
    seen++;
  }
  return seen ? { rx, tx } : null;
}
