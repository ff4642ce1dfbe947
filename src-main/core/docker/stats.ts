// One streaming-stats connection per running managed container (Docker pushes a sample a second;
// a one-shot read waits about a second, so we never poll). CPU % is computed from our own previous
// sample, because one-shot reads and first samples carry zero precpu_stats.
import type { Readable } from 'node:stream';
import type { ContainerStats } from '@shared/contract';
import type { StatsSubject } from '../cgroup/figures';
import { containerHandle } from './container-handle';
import type { Engine } from './engine-registry';
import { fireAndForget } from '../fire-and-forget';

/**
 * One streaming-stats sample as the engine sends it (moby api/types/container/stats.go
 * StatsResponse). Linux fills cpu_stats.system_cpu_usage / online_cpus, memory_stats.usage / stats,
 * blkio_stats and pids_stats; Windows fills num_procs (and os_type "windows" from Docker 29), CPU
 * in 100 ns units, memory_stats.privateworkingset / commitbytes and storage_stats. Any field may be
 * missing on other engines: each is read as possibly absent.
 */
interface RawStats {
  read?: string;
  preread?: string;
  os_type?: string;
  num_procs?: number;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number>; privateworkingset?: number };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
  storage_stats?: { read_size_bytes?: number; write_size_bytes?: number };
  pids_stats?: { current?: number };
}

/** What the next sample needs of this one; null where this sample lacked the measure. */
interface Prev {
  t: number;
  cpu: number | null;
  system: number | null;
  rx: number | null;
  tx: number | null;
  rd: number | null;
  wr: number | null;
}

/** A followed container: its identity and limits (core/cgroup's StatsSubject), and where its cgroup is found. */
export interface StatsTarget extends StatsSubject {
  /** Its init process (`State.Pid`): where a local container's cgroup and network counters are found (core/cgroup). */
  pid?: number | null;
  /** `HostConfig.CgroupParent`, for finding its cgroup without a pid. */
  cgroupParent?: string | null;
  /** `HostConfig.NetworkMode` ("host": it has no network counters of its own). */
  networkMode?: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Nanoseconds from `earlier` to `later`, both RFC 3339 with up to 9 fractional digits as Go writes
 * them ("2022-07-26T06:18:46.0429667-07:00"); null when either is not such a time or is Go's zero
 * time (0001-01-01, "never").
 */
export function rfc3339DiffNs(later: string | undefined, earlier: string | undefined): number | null {
  const parse = (s: string | undefined) => {
    const m = s ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i.exec(s) : null;
    const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
    return m && Number.isFinite(ms) && ms > 0 ? { ms, ns: Number((m[2] ?? '').padEnd(9, '0')) } : null;
  };
  const a = parse(later);
  const b = parse(earlier);
  return a && b ? (a.ms - b.ms) * 1e6 + (a.ns - b.ns) : null;
}

/** Sum of a per-interface counter; null when the sample has no `networks` (that measure is unknown). */
function netTotal(networks: unknown, key: 'rx_bytes' | 'tx_bytes'): number | null {
  if (!isObject(networks)) return null;
  let sum = 0;
  for (const n of Object.values(networks)) {
    const v = isObject(n) ? num(n[key]) : null;
    if (v === null) return null;
    sum += v;
  }
  return sum;
}

/**
 * Bytes read and written so far. Linux: blkio_stats.io_service_bytes_recursive, entries whose op
 * starts with r/R or w/W as the docker CLI's calculateBlockIO (a null list is no I/O yet: 0).
 * Windows: storage_stats.read_size_bytes / write_size_bytes (omitted when zero). Null when the
 * sample has neither.
 */
function blockTotals(raw: RawStats, windows: boolean): { rd: number | null; wr: number | null } {
  if (windows) {
    const s = raw.storage_stats;
    return isObject(s) ? { rd: num(s.read_size_bytes) ?? 0, wr: num(s.write_size_bytes) ?? 0 } : { rd: null, wr: null };
  }
  if (!isObject(raw.blkio_stats)) return { rd: null, wr: null };
  const list = raw.blkio_stats.io_service_bytes_recursive;
  let rd = 0;
  let wr = 0;
  for (const e of Array.isArray(list) ? list : []) {
    const op = isObject(e) && typeof e.op === 'string' ? e.op[0] : undefined;
    const v = isObject(e) ? num(e.value) : null;
    if (v === null) continue;
    if (op === 'r' || op === 'R') rd += v;
    else if (op === 'w' || op === 'W') wr += v;
  }
  return { rd, wr };
}

/**
 * Folds one raw sample into ContainerStats given our previous one. Pure; never throws.
 * Returns null only for the empty sample of a stopped container (no valid `read` time). A sample
 * that lacks a measure keeps the others and reports that one as null (unknown).
 * - CPU %, Linux: Δtotal_usage / Δsystem_cpu_usage × online CPUs, between our own samples (one-shot
 *   reads and first samples carry zero precpu_stats); Windows (no system_cpu_usage): as the docker
 *   CLI's calculateCPUPercentWindows, Δtotal_usage (100 ns units) over (read − preread in 100 ns
 *   units × num_procs), from the engine's precpu_stats, or our previous sample when it has no preread.
 *   Both are then taken relative to the container's CPU limit (all CPUs when it has none).
 * - Memory: Linux usage less inactive page cache (cgroup v1 total_inactive_file, v2 inactive_file),
 *   as the docker CLI; Windows memory_stats.privateworkingset.
 * - Rates are per second between our own samples.
 */
export function computeStats(target: StatsTarget, raw: RawStats, prev: Prev | undefined): { stats: ContainerStats; prev: Prev } | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const read = typeof raw.read === 'string' ? raw.read : undefined;
  const t = read ? Date.parse(read) : NaN;
  if (!Number.isFinite(t) || t <= 0) return null; // a stopped container's empty sample (read = 0001-01-01)
  const windows = raw.os_type === 'windows' || (num(raw.num_procs) ?? 0) > 0;
  const cpuStats: NonNullable<RawStats['cpu_stats']> = isObject(raw.cpu_stats) ? raw.cpu_stats : {};
  const cpu = num(isObject(cpuStats.cpu_usage) ? cpuStats.cpu_usage.total_usage : undefined);
  const system = num(cpuStats.system_cpu_usage);
  const { rd, wr } = blockTotals(raw, windows);
  const next: Prev = { t, cpu, system, rx: netTotal(raw.networks, 'rx_bytes'), tx: netTotal(raw.networks, 'tx_bytes'), rd, wr };

  let cpuPercent: number | null = null;
  if (windows) {
    const procs = num(raw.num_procs) ?? 0;
    const preCpu = num(isObject(raw.precpu_stats) && isObject(raw.precpu_stats.cpu_usage) ? raw.precpu_stats.cpu_usage.total_usage : undefined);
    const sincePre = rfc3339DiffNs(read, raw.preread);
    // Wall time in 100 ns intervals (integer, as the CLI) and the CPU time used over it.
    const [wall100ns, used] =
      sincePre !== null && sincePre > 0 && preCpu !== null
        ? [Math.floor(sincePre / 100), cpu !== null ? cpu - preCpu : null]
        : prev && t > prev.t && prev.cpu !== null
          ? [(t - prev.t) * 1e4, cpu !== null ? cpu - prev.cpu : null]
          : [0, null];
    if (procs > 0 && wall100ns > 0 && used !== null && used >= 0) {
      const cpusBusy = used / wall100ns;
      cpuPercent = (cpusBusy * 100) / (target.cpuLimit ?? procs);
    }
  } else if (prev && t > prev.t && cpu !== null && system !== null && prev.cpu !== null && prev.system !== null) {
    const online = num(cpuStats.online_cpus) || (Array.isArray(cpuStats.cpu_usage?.percpu_usage) ? cpuStats.cpu_usage.percpu_usage.length : 0) || 1;
    const dSystem = system - prev.system;
    const dCpu = cpu - prev.cpu;
    // dCpu/dSystem × online = cores busy; relative to the limit (all cores when none).
    if (dSystem > 0 && dCpu >= 0) cpuPercent = ((dCpu / dSystem) * online * 100) / (target.cpuLimit ?? online);
  }

  const m: NonNullable<RawStats['memory_stats']> = isObject(raw.memory_stats) ? raw.memory_stats : {};
  let used: number | null;
  if (windows) used = num(m.privateworkingset);
  else {
    const usage = num(m.usage);
    // As the docker CLI: page cache that can be dropped is not "used" (cgroup v1 total_inactive_file, v2 inactive_file).
    const stats = isObject(m.stats) ? m.stats : {};
    const inactive = num(stats.total_inactive_file) ?? num(stats.inactive_file) ?? 0;
    used = usage === null ? null : Math.max(0, usage - (inactive < usage ? inactive : 0));
  }
  const limit = target.memoryLimit;

  const dt = prev && t > prev.t ? (t - prev.t) / 1000 : null;
  const rate = (now: number | null, before: number | null | undefined): number | null =>
    dt !== null && now !== null && before !== null && before !== undefined && now >= before ? (now - before) / dt : null;
  return {
    prev: next,
    stats: {
      ts: t,
      id: target.id,
      name: target.name,
      project: target.project,
      cpuPercent,
      memoryUsed: used,
      memoryLimit: limit,
      memoryPercent: limit && used !== null ? (100 * used) / limit : null,
      netRxBytesPerSec: rate(next.rx, prev?.rx),
      netTxBytesPerSec: rate(next.tx, prev?.tx),
      blockReadBytesPerSec: rate(rd, prev?.rd),
      blockWriteBytesPerSec: rate(wr, prev?.wr),
      pids: num(isObject(raw.pids_stats) ? raw.pids_stats.current : undefined),
      ...(target.restartCount !== undefined ? { restartCount: target.restartCount } : {}),
      ...(target.oomKilled !== undefined ? { oomKilled: target.oomKilled } : {}),
    },
  };
}

export function createStatsStreams() {
  const streams = new Map<string, { engine: string; stream?: Readable; closed: boolean }>();
  const latest = new Map<string, ContainerStats>();

  async function open(engine: Engine, target: StatsTarget) {
    if (streams.has(target.id)) return;
    const entry: { engine: string; stream?: Readable; closed: boolean } = { engine: engine.id, closed: false };
    streams.set(target.id, entry);
    let prev: Prev | undefined;
    try {
      const s = (await containerHandle(engine, target.id).stats({ stream: true })) as unknown as Readable;
      if (entry.closed) return s.destroy();
      entry.stream = s;
      let buf = '';
      s.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          try {
            const r = computeStats(target, JSON.parse(line) as RawStats, prev);
            if (!r) continue;
            prev = r.prev;
            latest.set(target.id, r.stats);
          } catch {
            // a torn line: the next sample will do
          }
        }
      });
      const end = () => close(target.id);
      s.on('end', end);
      s.on('error', end);
      s.on('close', end);
    } catch {
      close(target.id);
    }
  }

  function close(id: string) {
    const e = streams.get(id);
    if (!e) return;
    e.closed = true;
    e.stream?.destroy();
    streams.delete(id);
    latest.delete(id);
  }

  return {
    open,
    close,
    /** Keeps exactly one stream per given target of this engine, closing its others. */
    sync(engine: Engine, targets: StatsTarget[]) {
      const want = new Set(targets.map((t) => t.id));
      for (const [id, e] of [...streams]) if (e.engine === engine.id && !want.has(id)) close(id);
      for (const t of targets) fireAndForget(open(engine, t), `stats stream of container ${t.name}`);
    },
    openIds: () => [...streams.keys()],
    latest: (): ContainerStats[] => [...latest.values()],
    get: (id: string): ContainerStats | undefined => latest.get(id),
    stopAll() {
      for (const id of [...streams.keys()]) close(id);
    },
  };
}
export type StatsStreams = ReturnType<typeof createStatsStreams>;
