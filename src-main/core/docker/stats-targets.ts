// What the container stats follow: every running managed container of an engine, with the limits
// and counters its samples are read against and where its cgroup is (from `docker inspect`).
import type Docker from 'dockerode';
import { log } from '../log';
import { containerHandle } from './container-handle';
import { LABEL_MANAGED, LABEL_PROJECT } from '@shared/labels';
import type { Engine } from './engine-registry';
import type { StatsStreams, StatsTarget } from './stats';

/** A container's stats target from its `docker inspect` (CPU limit in CPUs, memory limit in bytes, null when unlimited; init pid, cgroup parent, network mode). */
export function targetFromInspect(info: Docker.ContainerInspectInfo): StatsTarget {
  const hc = info.HostConfig;
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, '') || info.Id,
    project: info.Config.Labels?.[LABEL_PROJECT] ?? null,
    cpuLimit: hc.NanoCpus ? hc.NanoCpus / 1e9 : null,
    memoryLimit: hc.Memory || null,
    restartCount: info.RestartCount,
    oomKilled: info.State.OOMKilled,
    pid: info.State.Pid || null,
    cgroupParent: hc.CgroupParent || null,
    networkMode: hc.NetworkMode || null,
  };
}

/** The running managed containers of `engine` as stats targets (targetFromInspect). */
export async function statsTargets(engine: Engine): Promise<StatsTarget[]> {
  const list = await engine.docker.listContainers({ filters: { label: [`${LABEL_MANAGED}=true`], status: ['running'] } });
  return Promise.all(list.map(async (c) => targetFromInspect(await containerHandle(engine, c.Id).inspect())));
}

/**
 * Follows one container that just started (or was unpaused or restarted) on `engine`: inspects it
 * alone and opens its stats when it runs and is managed. A container gone meanwhile is left alone (logged).
 */
export async function followStarted(stats: Pick<StatsStreams, 'open'>, engine: Engine, id: string): Promise<void> {
  try {
    const info = await containerHandle(engine, id).inspect();
    if (!info.State.Running || info.Config.Labels?.[LABEL_MANAGED] !== 'true') return;
    await stats.open(engine, targetFromInspect(info));
  } catch (e) {
    log.debug('stats of a started container not followed', { engine: engine.name, id: id.slice(0, 12), message: (e as Error).message });
  }
}

/** Streams for exactly the running managed containers of `engine`; an engine that cannot answer keeps its streams (logged). */
export async function syncStatsStreams(stats: StatsStreams, engine: Engine): Promise<void> {
  try {
    stats.sync(engine, await statsTargets(engine));
  } catch (e) {
    log.debug('stats sync failed', { engine: engine.name, message: (e as Error).message });
  }
}
