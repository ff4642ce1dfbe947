// From the cgroup files' text to a container's figures, as Docker computes them (pure, never throws).
// Sources: the daemon fills its stats from runc's cgroup readers (opencontainers/cgroups fs/ for v1,
// fs2/ for v2) and the docker CLI turns them into `docker stats` (cli/command/container/stats_helpers.go:
// calculateMemUsageUnixNoCache, calculateCPUPercentUnix, calculateBlockIO).
import type { ContainerStats } from '@shared/contract';
import { flatKeyedGet, freezerStateV2, parseBlkio, parseFreezerStateV1, parseIoStat, parseSingleValue, type FreezerState } from './parse';

/** A container's memory from its cgroup, in bytes. */
export interface CgroupMemory {
  /**
   * What `docker stats` shows as usage: `usage` less the inactive file cache the kernel can drop
   * (v1 memory.stat total_inactive_file, v2 inactive_file), never below 0.
   */
  used: number;
  /** Everything charged to the cgroup, page cache and tmpfs (/dev/shm) included: v1 memory.usage_in_bytes, v2 memory.current. */
  usage: number;
  /** The inactive file cache that was subtracted. */
  inactiveFile: number;
  /** Highest `usage` since the cgroup was made (page cache included): v1 memory.max_usage_in_bytes, v2 memory.peak (kernel ≥ 5.19); null when the kernel keeps none. */
  peak: number | null;
  /** The limit: v1 memory.limit_in_bytes, v2 memory.max; null when unlimited. */
  limit: number | null;
  /** Swapped out: v1 memory.stat total_swap (with swap accounting), v2 memory.swap.current; null when the kernel does not count it. */
  swap: number | null;
  /** tmpfs and shared memory (a /dev/shm the container filled), part of `used`: memory.stat total_shmem (v1) or shmem (v2); null when absent. */
  shmem: number | null;
}

/**
 * v1 memory.limit_in_bytes with no limit reads PAGE_COUNTER_MAX pages (LONG_MAX rounded down to a
 * page: 9223372036854771712 with 4 KiB pages, 9223372036854710272 with 64 KiB ones): anything past
 * 2^62 bytes is that, not a limit anyone set.
 */
const V1_UNLIMITED = 2 ** 62;

/**
 * The docker CLI's calculateMemUsageUnixNoCache: usage less total_inactive_file when memory.stat has
 * it (v1) and it is below usage; else less inactive_file when below usage (v2); else usage.
 */
export function memoryUsedAsDocker(usage: number, stat: (key: string) => number | undefined): { used: number; inactiveFile: number } {
  const v1 = stat('total_inactive_file');
  if (v1 !== undefined && v1 < usage) return { used: usage - v1, inactiveFile: v1 };
  const v2 = stat('inactive_file') ?? 0;
  if (v2 < usage) return { used: usage - v2, inactiveFile: v2 };
  return { used: usage, inactiveFile: 0 };
}

/** The texts of a container's memory files (undefined: the file is absent). */
export interface MemoryTexts {
  usage?: string;
  peak?: string;
  limit?: string;
  stat?: string;
  /** v2 memory.swap.current. */
  swap?: string;
}

const num = (v: number | 'max' | undefined): number | null => (typeof v === 'number' ? v : null);

/** The memory figures of cgroup `version` from its files' texts; null when the usage file is absent or not a number. */
export function memoryFigures(version: 1 | 2, t: MemoryTexts): CgroupMemory | null {
  const usage = num(t.usage === undefined ? undefined : parseSingleValue(t.usage));
  if (usage === null) return null;
  const statText = t.stat ?? '';
  const stat = (key: string) => flatKeyedGet(statText, key);
  const { used, inactiveFile } = memoryUsedAsDocker(usage, stat);
  const rawLimit = t.limit === undefined ? undefined : parseSingleValue(t.limit);
  const limit = rawLimit === 'max' || rawLimit === undefined || (version === 1 && rawLimit >= V1_UNLIMITED) ? null : rawLimit;
  const swap = version === 1 ? (stat('total_swap') ?? stat('swap') ?? null) : num(t.swap === undefined ? undefined : parseSingleValue(t.swap));
  const shmem = (version === 1 ? stat('total_shmem') : undefined) ?? stat('shmem') ?? null;
  return { used, usage, inactiveFile, peak: num(t.peak === undefined ? undefined : parseSingleValue(t.peak)), limit, swap, shmem };
}

/** CPU time used so far, ns: v1 cpuacct.usage (ns), v2 cpu.stat usage_usec × 1000 (runc fs2 statCpu); null when absent. */
export function cpuUsageNs(version: 1 | 2, text: string | undefined): number | null {
  if (text === undefined) return null;
  if (version === 1) return num(parseSingleValue(text));
  const usec = flatKeyedGet(text, 'usage_usec');
  return usec === undefined ? null : usec * 1000;
}

/** v1 freezer.state, or v2 cgroup.freeze with cgroup.events; null when unknown (no freezer). */
export function freezerState(version: 1 | 2, state: string | undefined, events?: string): FreezerState | null {
  if (version === 1) return (state === undefined ? undefined : parseFreezerStateV1(state)) ?? null;
  return freezerStateV2(state, events) ?? null;
}

/**
 * Bytes read and written so far. v1: the first of the given blkio files (runc's order) that lists a
 * device; none listing one is no I/O yet (0, as Docker's empty list). v2: io.stat. Null when no such
 * file exists (no blkio / io controller).
 */
export function blockTotals(version: 1 | 2, texts: (string | undefined)[]): { read: number; write: number } | null {
  const present = texts.filter((t): t is string => t !== undefined);
  if (!present.length) return null;
  if (version === 2) return parseIoStat(present[0]!);
  for (const t of present) {
    const b = parseBlkio(t);
    if (b.devices) return { read: b.read, write: b.write };
  }
  return { read: 0, write: 0 };
}

/**
 * One reading of a container's cgroup (and its network namespace's counters): what ContainerStats
 * need, read at every tick (the peak and the freezer state, which they do not show, are left to
 * memory() and freezer()).
 */
export interface CgroupReading {
  /** Monotonic time of the reading, ms (only differences between readings mean anything). */
  at: number;
  memory: Omit<CgroupMemory, 'peak'> | null;
  /** CPU time used since the cgroup was made, ns. */
  cpuNs: number | null;
  pids: number | null;
  /** Block I/O totals, bytes. */
  block: { read: number; write: number } | null;
  /** Network totals over its interfaces other than lo, bytes; null without them (host or none network mode, or no pid). */
  net: { rx: number; tx: number } | null;
}

/** What ContainerStats are computed against: the target's identity and limits (from inspect). */
export interface StatsSubject {
  id: string;
  name: string;
  project: string | null;
  /** CPUs it may use (NanoCpus / 1e9), null when unlimited. */
  cpuLimit: number | null;
  /** Its memory limit from inspect, null when unlimited; the cgroup's own limit wins when it reads one (a `docker update` shows at once). */
  memoryLimit: number | null;
  restartCount?: number;
  oomKilled?: boolean;
}

/**
 * ContainerStats from a reading and the one before it (pure).
 * - CPU %: as calculateCPUPercentUnix, cores busy (ΔcpuNs over the wall time between readings, from
 *   the monotonic clock) relative to the CPU limit, or to all `onlineCpus` when it has none; null on
 *   the first reading and when the counter went back (the cgroup was made anew: a restart).
 * - Memory: `used` as docker stats; % of the limit.
 * - Rates per second between readings; null on the first and after a counter went back.
 * `ts` is the wall-clock time the sample is recorded under (ms).
 */
export function statsFromReading(subject: StatsSubject, reading: CgroupReading, prev: CgroupReading | undefined, ts: number, onlineCpus: number): ContainerStats {
  const dtMs = prev && reading.at > prev.at ? reading.at - prev.at : null;
  const rate = (now: number | undefined, before: number | undefined): number | null =>
    dtMs !== null && now !== undefined && before !== undefined && now >= before ? ((now - before) * 1000) / dtMs : null;
  let cpuPercent: number | null = null;
  const before = prev?.cpuNs ?? null;
  if (dtMs !== null && reading.cpuNs !== null && before !== null && reading.cpuNs >= before) {
    const coresBusy = (reading.cpuNs - before) / (dtMs * 1e6);
    cpuPercent = (coresBusy * 100) / (subject.cpuLimit ?? (onlineCpus || 1));
  }
  const used = reading.memory?.used ?? null;
  const limit = reading.memory?.limit ?? subject.memoryLimit;
  return {
    ts,
    id: subject.id,
    name: subject.name,
    project: subject.project,
    cpuPercent,
    memoryUsed: used,
    memoryLimit: limit,
    memoryPercent: limit && used !== null ? (100 * used) / limit : null,
    netRxBytesPerSec: rate(reading.net?.rx, prev?.net?.rx),
    netTxBytesPerSec: rate(reading.net?.tx, prev?.net?.tx),
    blockReadBytesPerSec: rate(reading.block?.read, prev?.block?.read),
    blockWriteBytesPerSec: rate(reading.block?.write, prev?.block?.write),
    pids: reading.pids,
    ...(subject.restartCount !== undefined ? { restartCount: subject.restartCount } : {}),
    ...(subject.oomKilled !== undefined ? { oomKilled: subject.oomKilled } : {}),
  };
}
