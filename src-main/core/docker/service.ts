// The Docker side of the app, composed: engines, containers, images, logs, the /events stream and
// streaming stats. Exposes the request handlers of its domains and `latestStats()` for the sampler.
import { randomUUID } from 'node:crypto';
import type { ContainerStats } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Handlers } from '../../router';
import type { Bus } from '../bus';
import { log } from '../log';
import type { EventLog } from '../store/events';
import type { Repositories } from '../store/repositories';
import { containerHandle } from './container-handle';
import { createContainers } from './containers';
import { LABEL_MANAGED, LABEL_PROJECT } from './create-options';
import { watchDockerEvents, type DockerEvent, type DockerEventsWatch } from './docker-events';
import { actionOf, journalDockerEvent } from './event-journal';
import type { EngineMonitor } from './engine';
import { createEngines, type Engine } from './engines';
import { createImages } from './images';
import { followLogs, tailLogs } from './logs';
import type { SecretStore } from './secrets';
import { createStatsStreams } from './stats';
import { fireAndForget } from '../fire-and-forget';

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
}) {
  const { bus, events, repositories } = opts;
  const engines = createEngines({ stored: repositories.engines, bus, events, local: opts.engine });
  const images = createImages({ logins: repositories.registryLogins, bus, events, secrets: opts.secrets });
  const containers = createContainers({ instances: repositories.containers, bus, events });
  const stats = createStatsStreams();
  const watches = new Map<string, DockerEventsWatch>();
  const follows = new Map<string, { stop(): void }>();
  const listeners = new Set<(e: DockerEvent, engine: Engine) => void>();

  /** Streams for exactly the running managed containers of an engine. */
  async function syncStats(engine: Engine) {
    try {
      const list = await engine.docker.listContainers({ filters: { label: [`${LABEL_MANAGED}=true`], status: ['running'] } });
      const targets = await Promise.all(
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
          };
        }),
      );
      stats.sync(engine, targets);
    } catch (e) {
      log.debug('stats sync failed', { engine: engine.name, message: (e as Error).message });
    }
  }

  function onDockerEvent(engine: Engine, e: DockerEvent) {
    if (!journalDockerEvent(events, engine, e)) return; // not a managed container's, or routine
    const a = e.Actor.Attributes;
    const action = actionOf(e);
    if (['start', 'unpause', 'restart'].includes(action)) fireAndForget(syncStats(engine), `stats streams of engine ${engine.name}`, events);
    if (['die', 'stop', 'destroy'].includes(action)) stats.close(e.Actor.ID);
    bus.emit('containers.changed', { engine: engine.id, id: e.Actor.ID, name: a.name ?? null, action });
    for (const l of listeners) {
      try {
        l(e, engine);
      } catch (err) {
        log.warn('docker event listener failed', { engine: engine.name, action, message: (err as Error).message });
      }
    }
  }

  function watch(engine: Engine) {
    if (watches.has(engine.id)) return;
    const w = watchDockerEvents(engine, (e) => onDockerEvent(engine, e), (open) => {
      if (open) fireAndForget(syncStats(engine), `stats streams of engine ${engine.name}`, events);
    });
    watches.set(engine.id, w);
    w.start();
  }

  /** The engine and the container's inspect data; NOT_FOUND in words when there is no such container. */
  async function inspectOn(engineId: string | undefined, id: string) {
    const e = engines.get(engineId);
    const info = await containerHandle(e, id).inspect().catch(() => {
      throw new AppError('NOT_FOUND', `no container "${id}" on engine ${e.name}`);
    });
    return { e, info };
  }

  const handlers = {
    'engines.list': () => engines.list(),
    'engines.add': (spec) => {
      const info = engines.add(spec);
      watch(engines.get(info.id));
      return info;
    },
    'engines.remove': ({ id }) => {
      watches.get(id)?.stop();
      watches.delete(id);
      return { removed: engines.remove(id) };
    },
    'containers.list': ({ engine, all }) => containers.list(engines.get(engine), all),
    'containers.inspect': ({ id, engine }) => containers.inspect(engines.get(engine), id),
    // launch, start, unpause and restart pass the lifecycle gate (core/lifecycle/handlers.ts).
    'containers.stop': ({ id, engine, timeoutSeconds }, ctx) => containers.operate(engines.get(engine), id, 'stop', timeoutSeconds, ctx.actor),
    'containers.pause': ({ id, engine }, ctx) => containers.operate(engines.get(engine), id, 'pause', undefined, ctx.actor),
    'containers.remove': ({ id, engine, force }, ctx) => containers.remove(engines.get(engine), id, force, ctx.actor),
    'containers.stats': () => stats.latest(),
    'logs.tail': async ({ id, engine, tail, timestamps }) => {
      const { e, info } = await inspectOn(engine, id);
      return tailLogs(containerHandle(e, info.Id), info.Config.Tty, tail, timestamps);
    },
    'logs.follow': async ({ id, engine, tail }, ctx) => {
      // The lines go to the connection that follows, and to no other.
      const to = ctx.events;
      if (!to) throw new AppError('UNSUPPORTED', 'logs.follow needs a connection that receives its lines (the app\'s window, a WebSocket or the control socket); over plain HTTP use logs.tail');
      const { e, info } = await inspectOn(engine, id);
      const followId = randomUUID();
      const f = await followLogs(
        containerHandle(e, info.Id),
        info.Config.Tty,
        tail,
        (lines) => to.emit('logs.lines', { followId, containerId: info.Id, lines }),
        () => {
          follows.delete(followId);
          to.emit('logs.lines', { followId, containerId: info.Id, lines: [], ended: true });
        },
      );
      follows.set(followId, f);
      // A tab closed without unfollowing must not keep the Docker log stream open.
      ctx.onDisconnect(() => {
        f.stop();
        follows.delete(followId);
      });
      return { followId };
    },
    'logs.unfollow': ({ followId }) => {
      const f = follows.get(followId);
      f?.stop();
      follows.delete(followId);
      return { stopped: f !== undefined };
    },
    'images.list': ({ engine }) => images.list(engines.get(engine)),
    'images.remove': ({ ref, engine, force }) => images.remove(engines.get(engine), ref, force),
    'images.pull': ({ ref, engine }, ctx) => images.pull(engines.get(engine), ref, ctx.actor),
    'registries.list': () => images.logins(),
    'registries.login': ({ registry, username, secret }) => images.login(registry, username, secret),
    'registries.logout': ({ registry }) => ({ removed: images.logout(registry) }),
    'events.list': (q) => events.query(q),
  } satisfies Partial<Handlers>;

  return {
    engines,
    images,
    containers,
    stats,
    handlers,
    /** Newest streaming-stats sample of every running managed container (the sampler reads it each tick). */
    latestStats: (): ContainerStats[] => stats.latest(),
    /** Told of every Docker event about a managed container, after it is journaled. */
    onDockerEvent(fn: (e: DockerEvent, engine: Engine) => void): () => void {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    isWatching: (engineId = 'local') => watches.get(engineId)?.isOpen() ?? false,
    start() {
      engines.start();
      for (const e of engines.all()) watch(e);
    },
    stop() {
      for (const w of watches.values()) w.stop();
      watches.clear();
      for (const f of follows.values()) f.stop();
      follows.clear();
      stats.stopAll();
      engines.stop();
    },
  };
}
export type DockerService = ReturnType<typeof createDockerService>;
