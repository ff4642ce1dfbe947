// Judges every managed container and raises alerts on state changes; stores snapshots every
// snapshot interval and trims them. What a verdict rests on changes in two ways, and each is followed
// the cheap way:
// - the container's own state (running / exited / OOM-killed / restart count / Docker HEALTHCHECK
//   status, its ports and probe label) changes only with a Docker event (die, oom, start, restart,
//   health_status, pause, unpause, rename): each such event inspects that one container. Every
//   managed container is listed and inspected when an engine's event stream (re)opens — at start and
//   after an outage, when events may have been missed — and, as a safety net, every
//   FULL_CHECK_EVERY check intervals;
// - its figures (CPU and memory % from the container stats, restarts within the window as time
//   passes, the probe's answer) change without events: each check interval re-judges every known
//   container from what it knows, without asking the engine, probes those with a probe label and
//   inspects only those with a Docker HEALTHCHECK (their status also comes by health_status events).
import type { Alert, ContainerDetail, ContainerHealth, HealthReport, HealthSettings, HealthState } from '@shared/contract';
import { AppError } from '@shared/errors';
import type { Bus } from '../bus';
import { containerHandle } from '../docker/container-handle';
import { LABEL_MANAGED, LABEL_PROBE } from '@shared/labels';
import { parseProbeLabel, type ProbeSpec } from '../docker/create-options';
import type { Engine } from '../docker/engine-registry';
import { detailFromInspect } from '../docker/container-to-contract';
import type { DockerService } from '../docker/service';
import { every, type Loop } from '../every';
import { fireAndForget } from '../fire-and-forget';
import { log } from '../log';
import type { EventLog } from '../store/events';
import type { HealthSnapshotRepository } from '../store/health-snapshots';
import type { SettingsSlice } from '../store/settings';
import { evaluate } from './evaluate';
import { probeHttp, probeTcp } from './probe';
import { restartsInWindow, withRestartCount, type RestartObservation } from './restarts';

const LEVEL: Record<HealthState, Alert['level']> = { critical: 'critical', warning: 'warning', healthy: 'info', stopped: 'info' };

/** Every this many check intervals, every managed container is listed and inspected again (a safety net under the events). */
export const FULL_CHECK_EVERY = 30;

/** The events after which a container's inspect data may differ (its state, restart count, health status, name). */
const REINSPECT_ON = new Set(['die', 'oom', 'start', 'restart', 'health_status', 'pause', 'unpause', 'rename']);

/** What the last inspect of a managed container said, as its verdicts need it. */
interface Known {
  engine: Engine;
  d: ContainerDetail;
  probeSpec: ProbeSpec | null;
  probeProblem: string | null;
}

/** `snapshots`: where verdicts are kept for the report's history; `events`: the journal (alerts are rows, and it tells a stop on purpose). */
export function createHealthService(opts: { snapshots: HealthSnapshotRepository; bus: Bus; events: EventLog; docker: DockerService; settings: SettingsSlice<HealthSettings> }) {
  const { snapshots, bus, events, docker } = opts;
  const current = new Map<string, ContainerHealth>();
  const known = new Map<string, Known>();
  const restarts = new Map<string, RestartObservation[]>();
  const alerts: Alert[] = [];
  let checkLoop: Loop | undefined;
  let snapLoop: Loop | undefined;
  let offSettings: (() => void) | undefined;
  let running = false;
  /** Set for good by stop(): judgements still in flight must not write afterwards. */
  let stopped = false;
  let checking: Promise<void> | undefined;
  let ticks = 0;

  const probeHost = (e: Engine) => {
    const h = e.monitor.get().host;
    const m = /^tcp:\/\/([^:/]+)/.exec(h);
    return m ? m[1]! : '127.0.0.1';
  };

  function forget(id: string) {
    current.delete(id);
    known.delete(id);
    restarts.delete(id);
  }

  /** Inspects `id` on `engine` and judges it; null (and forgotten) when it is gone or not managed. */
  async function judge(engine: Engine, id: string): Promise<ContainerHealth | null> {
    let info;
    try {
      info = await containerHandle(engine, id).inspect();
    } catch {
      forget(id);
      return null;
    }
    const d = detailFromInspect(info, engine.id);
    if (!d.managed) return null;
    if (stopped) return null;
    let probeSpec: ProbeSpec | null = null;
    let probeProblem: string | null = null;
    try {
      probeSpec = parseProbeLabel(d.labels[LABEL_PROBE]);
    } catch (e) {
      probeProblem = `probe label invalid: ${(e as Error).message}`;
    }
    const k: Known = { engine, d, probeSpec, probeProblem };
    known.set(d.id, k);
    const s = opts.settings.get();
    restarts.set(d.id, withRestartCount(restarts.get(d.id) ?? [], Date.now(), d.restartCount, s.restartWindowMinutes * 60_000));
    return judgeKnown(k);
  }

  /** Judges a container from its last inspect, its newest stats and (with a probe label) a probe now. */
  async function judgeKnown(k: Known): Promise<ContainerHealth | null> {
    const s = opts.settings.get();
    const { d, probeSpec, engine } = k;
    let probe = null;
    if (probeSpec && d.state === 'running') {
      const bound = d.ports.find((p) => p.containerPort === probeSpec.port && p.hostPort);
      if (bound?.hostPort) {
        const host = probeHost(engine);
        probe = probeSpec.kind === 'http' ? await probeHttp(host, bound.hostPort, probeSpec.path, s.probeTimeoutMs) : await probeTcp(host, bound.hostPort, s.probeTimeoutMs);
      }
    }
    // The app shut down while we were asking, or the container went meanwhile: the database may be closing, the verdict is moot.
    if (stopped || known.get(d.id) !== k) return null;
    const now = Date.now();
    const running = d.state === 'running';
    const st = running ? docker.stats.get(d.id) : undefined;
    const v = evaluate(
      {
        state: d.state,
        exitCode: d.exitCode,
        oomKilled: d.oomKilled,
        // Read from the journal only where the verdict uses it (a container that is not running).
        stoppedOnPurpose: !running && d.state !== 'paused' && d.state !== 'restarting' && !d.oomKilled && events.stoppedOnPurposeSince(d.id, d.startedAt ?? 0),
        restartsInWindow: restartsInWindow(restarts.get(d.id) ?? [], now, s.restartWindowMinutes * 60_000),
        dockerHealth: d.dockerHealth,
        cpuPercent: st?.cpuPercent ?? null,
        memoryPercent: st?.memoryPercent ?? null,
        probe,
        probeProblem: k.probeProblem,
      },
      s,
    );
    const prev = current.get(d.id);
    const h: ContainerHealth = {
      id: d.id,
      name: d.name,
      engine: engine.id,
      project: d.project,
      state: v.state,
      reasons: v.reasons,
      since: prev && prev.state === v.state ? prev.since : now,
      checkedAt: now,
      probe,
    };
    current.set(d.id, h);
    if (prev?.state !== v.state && (prev || v.state === 'critical' || v.state === 'warning')) raise(h, prev?.state ?? null);
    return h;
  }

  function raise(h: ContainerHealth, from: HealthState | null) {
    const message = `${h.name} is ${h.state}${h.reasons.length ? `: ${h.reasons.join('; ')}` : ''}`;
    const id = events.record({
      type: `health.${h.state}`,
      containerId: h.id,
      container: h.name,
      actor: 'app',
      outcome: h.state === 'critical' ? 'error' : 'ok',
      error: h.state === 'critical' ? message : undefined,
      details: { from, reasons: h.reasons, probe: h.probe },
    });
    const alert: Alert = { id, ts: h.checkedAt, containerId: h.id, container: h.name, from, to: h.state, level: LEVEL[h.state], message };
    alerts.unshift(alert);
    alerts.splice(50);
    bus.emit('alerts.raised', alert);
  }

  /** Lists and inspects every managed container of every connected engine now, and judges each (`mlenv health`, engine (re)connects, the safety net). */
  async function checkAll(): Promise<void> {
    if (checking) return checking;
    checking = (async () => {
      const seen = new Set<string>();
      for (const engine of docker.engines.all()) {
        if (engine.monitor.get().state !== 'connected') continue;
        try {
          const list = await engine.docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } });
          const results = await Promise.all(list.map((c) => judge(engine, c.Id)));
          for (const r of results) if (r) seen.add(r.id);
        } catch (e) {
          log.debug('health check failed', { engine: engine.name, message: (e as Error).message });
          for (const h of current.values()) if (h.engine === engine.id) seen.add(h.id); // keep what we knew
        }
      }
      for (const id of [...current.keys()]) if (!seen.has(id)) forget(id);
      bus.emit('health.changed', [...current.values()]);
    })().finally(() => (checking = undefined));
    return checking;
  }

  /**
   * One check interval: every known container judged again from what is known (no engine request),
   * with its probe run where it has one; a container with a Docker HEALTHCHECK inspected again; every
   * FULL_CHECK_EVERY-th interval a full checkAll. Containers of an engine that is no longer connected
   * are dropped (checkAll finds them again when its events reopen).
   */
  async function tick(): Promise<void> {
    if (++ticks % FULL_CHECK_EVERY === 0) return checkAll();
    if (checking) return checking;
    const connected = new Set(docker.engines.all().filter((e) => e.monitor.get().state === 'connected').map((e) => e.id));
    for (const [id, k] of [...known]) if (!connected.has(k.engine.id)) forget(id);
    await Promise.all([...known.values()].map((k) => (k.d.dockerHealth !== null && k.d.state === 'running' ? judge(k.engine, k.d.id) : judgeKnown(k))));
    if (!stopped) bus.emit('health.changed', [...current.values()]);
  }

  function snapshot(now = Date.now()) {
    const s = opts.settings.get();
    const taken = [...current.values()].map((h) => {
      const st = docker.stats.get(h.id);
      return { containerId: h.id, state: h.state, reasons: h.reasons, cpuPercent: st?.cpuPercent ?? null, memoryPercent: st?.memoryPercent ?? null };
    });
    snapshots.save(now, taken, now - s.retentionDays * 86_400_000);
  }

  const offEvents = docker.onDockerEvent((e, engine) => {
    const action = e.Action.split(':')[0]!.trim();
    if (action === 'destroy') {
      forget(e.Actor.ID);
      bus.emit('health.changed', [...current.values()]);
    } else if (REINSPECT_ON.has(action)) {
      fireAndForget(
        judge(engine, e.Actor.ID).then(() => {
          if (!stopped) bus.emit('health.changed', [...current.values()]);
        }),
        `health check of container ${e.Actor.ID.slice(0, 12)} on its ${action} event`,
        events,
      );
    }
  });
  // An engine's events (re)opened: at start, or after an outage in which events may have been lost.
  const offOpened = docker.onEventsOpened(() => {
    if (running) fireAndForget(checkAll(), 'health check after the engine events opened', events);
  });

  /** The verdict on `id` (a full id, a name or an id prefix): the current one, else judged now on every engine. NOT_FOUND when no managed container matches. */
  async function report(id: string, hours: number): Promise<HealthReport> {
    let h = current.get(id) ?? [...current.values()].find((x) => x.name === id || x.id.startsWith(id));
    if (!h) {
      for (const engine of docker.engines.all()) {
        h = (await judge(engine, id).catch(() => null)) ?? undefined;
        if (h) break;
      }
    }
    if (!h) throw new AppError('NOT_FOUND', `no managed container "${id}" to report on`);
    return { current: h, history: snapshots.history(h.id, Date.now() - hours * 3_600_000) };
  }

  return {
    report,
    /** The alerts raised and not dismissed, newest first (the last 50). */
    alerts: (): Alert[] => alerts,
    /** Dismisses one alert; false when there is none by that id. */
    dismissAlert(id: number): boolean {
      const i = alerts.findIndex((a) => a.id === id);
      if (i >= 0) alerts.splice(i, 1);
      return i >= 0;
    },
    checkAll,
    snapshot,
    /** Every managed container's current verdict (the tray's overall status counts the critical ones). */
    current: (): ContainerHealth[] => [...current.values()],
    criticalCount: (): number => [...current.values()].filter((h) => h.state === 'critical').length,
    get: (id: string) => current.get(id),
    start() {
      if (running) return;
      running = true;
      fireAndForget(checkAll(), 'first health check', events);
      const s = opts.settings.get();
      checkLoop = every(s.checkIntervalSeconds * 1000, tick, { what: 'timed health check', journal: events });
      snapLoop = every(s.snapshotIntervalSeconds * 1000, () => snapshot(), {
        what: 'health snapshot',
        onError: (e) => log.warn('health snapshot failed', { message: (e as Error).message }),
      });
      // A settings change: the new intervals apply from now.
      offSettings = opts.settings.subscribe((next) => {
        checkLoop?.setInterval(next.checkIntervalSeconds * 1000);
        snapLoop?.setInterval(next.snapshotIntervalSeconds * 1000);
      });
    },
    /** Ends the loops and the event watch; resolves once a check or snapshot in flight has ended. */
    async stop(): Promise<void> {
      running = false;
      stopped = true;
      offEvents();
      offOpened();
      offSettings?.();
      await Promise.all([checkLoop?.dispose(), snapLoop?.dispose()]);
      checkLoop = snapLoop = undefined;
    },
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
