// One Docker /events watch per engine. Each event about a managed container is journaled, keeps
// the stats streams in step (that one container inspected and followed on start, closed on die), is
// announced on the bus as `containers.changed` and handed to the listeners (health judges on it).
// The full list of running containers is read only when the events stream (re)opens: at the start
// and after an outage, when events may have been missed.
import type { Bus } from '../bus';
import { fireAndForget } from '../fire-and-forget';
import { log } from '../log';
import type { EventLog } from '../store/events';
import { watchDockerEvents, type DockerEvent, type DockerEventsWatch } from './docker-events';
import type { Engine } from './engine-registry';
import { actionOf, journalDockerEvent } from './event-journal';
import type { StatsStreams } from './stats';
import { followStarted, syncStatsStreams } from './stats-targets';

export function createDockerEventWatches(opts: { bus: Bus; events: EventLog; stats: StatsStreams }) {
  const { bus, events, stats } = opts;
  const watches = new Map<string, DockerEventsWatch>();
  const listeners = new Set<(e: DockerEvent, engine: Engine) => void>();
  const opened = new Set<(engine: Engine) => void>();
  const sync = (engine: Engine) => fireAndForget(syncStatsStreams(stats, engine), `stats streams of engine ${engine.name}`, events);

  function onDockerEvent(engine: Engine, e: DockerEvent) {
    if (!journalDockerEvent(events, engine, e)) return; // not a managed container's, or routine
    const action = actionOf(e);
    if (['start', 'unpause', 'restart'].includes(action)) fireAndForget(followStarted(stats, engine, e.Actor.ID), `stats of container ${e.Actor.ID.slice(0, 12)}`, events);
    if (['die', 'stop', 'destroy'].includes(action)) stats.close(e.Actor.ID);
    bus.emit('containers.changed', { engine: engine.id, id: e.Actor.ID, name: e.Actor.Attributes.name ?? null, action });
    for (const l of listeners) {
      try {
        l(e, engine);
      } catch (err) {
        log.warn('docker event listener failed', { engine: engine.name, action, message: (err as Error).message });
      }
    }
  }

  return {
    /** Starts watching `engine` (idempotent); each time the stream (re)opens, the stats streams are resynced and the onEventsOpened listeners told. */
    watch(engine: Engine) {
      if (watches.has(engine.id)) return;
      const w = watchDockerEvents(engine, (e) => onDockerEvent(engine, e), (open) => {
        if (!open) return;
        sync(engine);
        for (const l of opened) {
          try {
            l(engine);
          } catch (err) {
            log.warn('docker events-opened listener failed', { engine: engine.name, message: (err as Error).message });
          }
        }
      });
      watches.set(engine.id, w);
      w.start();
    },
    unwatch(engineId: string) {
      watches.get(engineId)?.stop();
      watches.delete(engineId);
    },
    /** Whether the engine's /events stream is open now. */
    isWatching: (engineId: string) => watches.get(engineId)?.isOpen() ?? false,
    /** Told of every Docker event about a managed container, after it is journaled. Returns the unsubscribe. */
    onDockerEvent(fn: (e: DockerEvent, engine: Engine) => void): () => void {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** Told each time an engine's events stream (re)opens, after the stats are resynced. Returns the unsubscribe. */
    onEventsOpened(fn: (engine: Engine) => void): () => void {
      opened.add(fn);
      return () => opened.delete(fn);
    },
    stopAll() {
      for (const w of watches.values()) w.stop();
      watches.clear();
    },
  };
}
export type DockerEventWatches = ReturnType<typeof createDockerEventWatches>;
