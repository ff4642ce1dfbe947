// What the container stats follow: every running managed container of an engine, with the limits
// and counters its samples are read against and where its cgroup is (from `docker inspect`).
import { log } from '../log';
import { containerHandle } from './container-handle';
import { LABEL_MANAGED, LABEL_PROJECT } from '@shared/labels';
import type { Engine } from './engine-registry';
import type { StatsStreams, StatsTarget } from './stats';

/** The running managed containers of `engine` as stats targets (CPU limit in CPUs, memory limit in bytes, null when unlimited; init pid, cgroup parent, network mode). */
export async function statsTargets(engine: Engine): Promise<StatsTarget[]> {
  const list = await engine.docker.listContainers({ filters: { label: [`${LABEL_MANAGED}=true`], status: ['running'] } });
  return Promise.all(
    list.map(async (c) => {
      const info = await containerHandle(engine, c.Id).inspect();
      const hc = info.HostConfig;
      return {
        id: c.Id,
        name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
        project: c.Labels?.[LABEL_PROJECT] ?? null,
        cpuLimit: hc.NanoCpus ? hc.NanoCpus / 1e9 : null,
        memoryLimit: hc.Memory || null,
        restartCount: info.RestartCount,
        oomKilled: info.State.OOMKilled,
        pid: info.State.Pid || null,
        cgroupParent: hc.CgroupParent || null,
        networkMode: hc.NetworkMode || null,
      };
    }),
  );
}

/** Streams for exactly the running managed containers of `engine`; an engine that cannot answer keeps its streams (logged). */
export async function syncStatsStreams(stats: StatsStreams, engine: Engine): Promise<void> {
  try {
    stats.sync(engine, await statsTargets(engine));
  } catch (e) {
    log.debug('stats sync failed', { engine: engine.name, message: (e as Error).message });
  }
}
