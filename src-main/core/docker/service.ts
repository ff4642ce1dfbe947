// The Docker side of the app, composed: the engines, containers and images, one /events watch per
// engine, the container stats (cgroups of local containers, Docker's streams for the rest) and the
// log follows. Plain methods; the contract's request names are mapped to them in src-main/handlers. Creates, starts, unpauses and restarts pass the lifecycle gate
// (core/lifecycle), not this service.
import type { ContainerStats, EngineAdd, EngineInfo, LogLine } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Bus } from '../bus';
import type { EventLog } from '../store/events';
import type { Repositories } from '../store/repositories';
import { containerHandle } from './container-handle';
import { createContainers } from './containers';
import type { DockerEvent } from './docker-events';
import type { EngineMonitor } from './engine-monitor';
import { createEngines, LOCAL_ENGINE, type Engine } from './engine-registry';
import { createDockerEventWatches } from './event-watches';
import { createImages } from './images';
import { createLogFollows, type LogLinesPayload } from './log-follows';
import { tailLogs } from './logs';
import type { SecretStore } from './secrets';
import { createContainerStats } from '../cgroup/container-stats';

/**
 * `repositories`: the stored engines, registry logins and containers (core/store); `events`: the
 * journal, which also answers the Events page.
 */
export function createDockerService(opts: {
  repositories: Pick<Repositories, 'engines' | 'registryLogins' | 'containers'>;
  bus: Bus;
  events: EventLog;
  engine: EngineMonitor;
  secrets: SecretStore;
  /** False: Docker's streams for every engine (AppConfig.statsFromCgroups). */
  statsFromCgroups?: boolean;
}) {
  const { bus, events, repositories } = opts;
  const engines = createEngines({ stored: repositories.engines, bus, events, local: opts.engine });
  const images = createImages({ logins: repositories.registryLogins, bus, events, secrets: opts.secrets });
  const containers = createContainers({ instances: repositories.containers, bus, events });
  // Local containers from their cgroups, the rest through Docker's streams.
  const stats = createContainerStats(opts.statsFromCgroups === false ? { isLocal: () => false } : {});
  const watches = createDockerEventWatches({ bus, events, stats });
  const follows = createLogFollows();

  /** The engine and the container's inspect data; NOT_FOUND in words when there is no such container. */
  async function inspectOn(engineId: string | undefined, id: string) {
    const e = engines.get(engineId);
    const info = await containerHandle(e, id).inspect().catch(() => {
      throw new AppError('NOT_FOUND', `no container "${id}" on engine ${e.name}`);
    });
    return { e, info };
  }

  return {
    engines,
    images,
    containers,
    stats,
    /** Adds an engine (engine-registry.ts says what is refused) and starts watching its events. */
    addEngine(spec: EngineAdd): EngineInfo {
      const info = engines.add(spec);
      watches.watch(engines.get(info.id));
      return info;
    },
    /** Stops watching an engine and forgets it; false when there was none by that id. */
    removeEngine(id: string): boolean {
      watches.unwatch(id);
      return engines.remove(id);
    },
    /** The container's last `tail` lines (engine timestamps in ms when `timestamps`); NOT_FOUND when there is no such container. */
    async tailLogs(engineId: string | undefined, id: string, tail: number, timestamps: boolean): Promise<LogLine[]> {
      const { e, info } = await inspectOn(engineId, id);
      return tailLogs(containerHandle(e, info.Id), info.Config.Tty, tail, timestamps);
    },
    /** Follows the container's output from its last `tail` lines, each batch handed to `send`; returns the followId. NOT_FOUND when there is no such container. */
    async followLogs(engineId: string | undefined, id: string, tail: number, send: (payload: LogLinesPayload) => void): Promise<string> {
      const { e, info } = await inspectOn(engineId, id);
      return follows.open(containerHandle(e, info.Id), info.Id, info.Config.Tty, tail, send);
    },
    /** Stops a follow; false when there is none by that id. */
    unfollowLogs: (followId: string): boolean => follows.stop(followId),
    /** Newest stats of every running managed container, as of the last sample (the tray, `containers.stats`). */
    latestStats: (): ContainerStats[] => stats.latest(),
    /** Reads the local containers' cgroups now and returns every container's newest stats, recorded at `ts` (the sampler's tick). */
    sampleStats: (ts: number): ContainerStats[] => stats.sample(ts),
    /** Told of every Docker event about a managed container, after it is journaled. */
    onDockerEvent: (fn: (e: DockerEvent, engine: Engine) => void): (() => void) => watches.onDockerEvent(fn),
    /** Told each time an engine's events stream (re)opens (at the start, after an outage): what may have been missed is read again then. */
    onEventsOpened: (fn: (engine: Engine) => void): (() => void) => watches.onEventsOpened(fn),
    isWatching: (engineId = LOCAL_ENGINE) => watches.isWatching(engineId),
    start() {
      engines.start();
      for (const e of engines.all()) watches.watch(e);
    },
    stop() {
      watches.stopAll();
      follows.stopAll();
      stats.stopAll();
      engines.stop();
    },
  };
}
export type DockerService = ReturnType<typeof createDockerService>;
