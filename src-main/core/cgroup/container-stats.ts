// The stats of every running managed container, from the cheapest source that can give them: on an
// engine reached through a unix socket on this Linux machine, each container's own cgroup files
// (read at the sampler's tick through kept-open descriptors); elsewhere — remote engines, other
// OSes, or a local container whose cgroup this process cannot see — Docker's streaming stats.
// It has the shape of the streams (core/docker/stats.ts) so the Docker service and its event
// watches drive it unchanged, plus `sample`, which the sampler calls once per tick.
import os from 'node:os';
import type { ContainerStats } from '@shared/contract';
import type { Engine } from '../docker/engine-registry';
import { createStatsStreams, type StatsStreams, type StatsTarget } from '../docker/stats';
import { log } from '../log';
import { statsFromReading, type CgroupReading } from './figures';
import { openContainerCgroup, type ContainerCgroup, type ReaderOptions } from './reader';

interface Entry {
  engine: string;
  target: StatsTarget;
  reader: ContainerCgroup;
  prev?: CgroupReading;
  latest?: ContainerStats;
}

export interface ContainerStatsOptions extends ReaderOptions {
  /** The streams used where cgroups cannot serve (a new set by default). */
  streams?: StatsStreams;
  /** Whether an engine's containers run on this machine's kernel (default: Linux and reached through a unix socket). */
  isLocal?: (engine: Engine) => boolean;
  /** CPUs online, what CPU % is relative to for a container without a CPU limit (the count at creation by default). */
  onlineCpus?: number;
}

/** Reached through a unix socket from a Linux process: the engine's containers are this kernel's cgroups. */
export const runsOnThisKernel = (engine: Pick<Engine, 'socketPath'>): boolean => process.platform === 'linux' && engine.socketPath !== null;

export function createContainerStats(opts: ContainerStatsOptions = {}) {
  const streams = opts.streams ?? createStatsStreams();
  const isLocal = opts.isLocal ?? runsOnThisKernel;
  const onlineCpus = opts.onlineCpus ?? (os.cpus().length || 1); // online CPUs, as the daemon's online_cpus
  const entries = new Map<string, Entry>();

  function closeReader(id: string) {
    const e = entries.get(id);
    if (!e) return;
    e.reader.close();
    entries.delete(id);
  }

  /** Follows `target` through its cgroup; false when it has none this process can read. */
  function openReader(engine: Engine, target: StatsTarget): boolean {
    const held = entries.get(target.id);
    // The same container run (same init pid): keep the reader and its previous reading, take the fresher limits.
    if (held && held.target.pid === target.pid) {
      held.target = target;
      return true;
    }
    closeReader(target.id);
    let reader: ContainerCgroup | undefined;
    try {
      reader = openContainerCgroup(
        { id: target.id, pid: target.pid, cgroupParent: target.cgroupParent, ownNetwork: target.networkMode !== 'host' },
        { root: opts.root, clock: opts.clock },
      );
      // Read once now: a cgroup this process may not read goes to the streams instead, and the first
      // tick already has a reading to compute CPU % and rates from.
      entries.set(target.id, { engine: engine.id, target, reader, prev: reader.read() });
      return true;
    } catch (e) {
      reader?.close();
      log.debug('container stats from Docker streams: its cgroup is not readable here', { id: target.id.slice(0, 12), message: (e as Error).message });
      return false;
    }
  }

  const latest = (): ContainerStats[] => [...[...entries.values()].flatMap((e) => (e.latest ? [e.latest] : [])), ...streams.latest()];

  return {
    /** Follows one container of `engine`: its cgroup when the engine is local and the cgroup readable, else a stream. */
    open(engine: Engine, target: StatsTarget): ReturnType<StatsStreams['open']> {
      if (isLocal(engine) && openReader(engine, target)) return Promise.resolve(undefined);
      return streams.open(engine, target);
    },
    close(id: string) {
      closeReader(id);
      streams.close(id);
    },
    /** Follows exactly the given running containers of `engine`, closing its others. */
    sync(engine: Engine, targets: StatsTarget[]) {
      const want = new Set(targets.map((t) => t.id));
      for (const [id, e] of [...entries]) if (e.engine === engine.id && !want.has(id)) closeReader(id);
      const viaStreams = isLocal(engine) ? targets.filter((t) => !openReader(engine, t)) : targets;
      streams.sync(engine, viaStreams);
    },
    /**
     * Reads every followed cgroup now and returns the newest stats of every container (cgroups and
     * streams), recorded at `ts` (ms). A container whose cgroup is gone is dropped until the engine's
     * next start event follows it again.
     */
    sample(ts: number): ContainerStats[] {
      for (const [id, e] of entries) {
        try {
          const reading = e.reader.read();
          e.latest = statsFromReading(e.target, reading, e.prev, ts, onlineCpus);
          e.prev = reading;
        } catch (err) {
          log.debug('container cgroup read failed', { id: id.slice(0, 12), message: (err as Error).message });
          closeReader(id);
        }
      }
      return latest();
    },
    /** The newest stats of every followed container, as of the last `sample` (cgroups) or the last streamed sample. */
    latest,
    get: (id: string): ContainerStats | undefined => entries.get(id)?.latest ?? streams.get(id),
    openIds: (): string[] => [...entries.keys(), ...streams.openIds()],
    /** The ids followed through their cgroups (the rest through streams). */
    cgroupIds: (): string[] => [...entries.keys()],
    stopAll() {
      for (const id of [...entries.keys()]) closeReader(id);
      streams.stopAll();
    },
  };
}
export type ContainerStatsSource = ReturnType<typeof createContainerStats>;
