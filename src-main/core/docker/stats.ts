// One streaming-stats connection per running managed container (Docker pushes a sample a second;
// a one-shot read waits about a second, so we never poll). CPU % is computed from our own previous
// sample, because one-shot reads and first samples carry zero precpu_stats.
import type { Readable } from 'node:stream';
import type { ContainerStats } from '@shared/contract';
import type { Engine } from './engines';

interface RawStats {
  read: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  pids_stats?: { current?: number };
}

interface Prev {
  t: number;
  cpu: number;
  system: number;
  rx: number;
  tx: number;
  rd: number;
  wr: number;
}

export interface StatsTarget {
  id: string;
  name: string;
  project: string | null;
  /** CPUs the container may use (NanoCpus / 1e9), or null when unlimited. */
  cpuLimit: number | null;
  /** The container's own memory limit, or null when unlimited. */
  memoryLimit: number | null;
  restartCount?: number;
  oomKilled?: boolean;
}

/** Folds one raw sample into ContainerStats given our previous one. Pure. */
export function computeStats(target: StatsTarget, raw: RawStats, prev: Prev | undefined): { stats: ContainerStats; prev: Prev } | null {
  const t = Date.parse(raw.read);
  const cpu = raw.cpu_stats?.cpu_usage?.total_usage;
  const system = raw.cpu_stats?.system_cpu_usage;
  if (!Number.isFinite(t) || t <= 0 || cpu === undefined || system === undefined) return null; // a stopped container's empty sample
  const online = raw.cpu_stats?.online_cpus || raw.cpu_stats?.cpu_usage?.percpu_usage?.length || 1;
  const nets = Object.values(raw.networks ?? {});
  const rx = nets.reduce((s, n) => s + n.rx_bytes, 0);
  const tx = nets.reduce((s, n) => s + n.tx_bytes, 0);
  const io = raw.blkio_stats?.io_service_bytes_recursive ?? [];
  const rd = io.filter((x) => x.op.toLowerCase() === 'read').reduce((s, x) => s + x.value, 0);
  const wr = io.filter((x) => x.op.toLowerCase() === 'write').reduce((s, x) => s + x.value, 0);
  const next: Prev = { t, cpu, system, rx, tx, rd, wr };

  const m = raw.memory_stats ?? {};
  // As the docker CLI: page cache that can be dropped is not "used" (cgroup v1 total_inactive_file, v2 inactive_file).
  const inactive = m.stats?.total_inactive_file ?? m.stats?.inactive_file ?? 0;
  const used = Math.max(0, (m.usage ?? 0) - (inactive < (m.usage ?? 0) ? inactive : 0));
  const limit = target.memoryLimit;

  let cpuPercent: number | null = null;
  let rate = (_a: number, _b: number): number | null => null;
  if (prev && t > prev.t) {
    const dSystem = system - prev.system;
    const dCpu = cpu - prev.cpu;
    // dCpu/dSystem × online = cores busy; relative to the limit (all cores when none).
    if (dSystem > 0 && dCpu >= 0) cpuPercent = ((dCpu / dSystem) * online * 100) / (target.cpuLimit ?? online);
    const dt = (t - prev.t) / 1000;
    rate = (now, before) => (now >= before ? (now - before) / dt : null);
  }
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
      memoryPercent: limit ? (100 * used) / limit : null,
      netRxBytesPerSec: prev ? rate(rx, prev.rx) : null,
      netTxBytesPerSec: prev ? rate(tx, prev.tx) : null,
      blockReadBytesPerSec: prev ? rate(rd, prev.rd) : null,
      blockWriteBytesPerSec: prev ? rate(wr, prev.wr) : null,
      pids: raw.pids_stats?.current ?? null,
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
      const s = (await engine.docker.getContainer(target.id).stats({ stream: true })) as unknown as Readable;
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
      for (const t of targets) void open(engine, t);
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
