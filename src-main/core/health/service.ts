// Judges every managed container each check interval (and at once on die / oom / start events),
// raises alerts on state changes, stores snapshots every snapshot interval and trims them.
import type { Alert, ContainerHealth, HealthReport, HealthSettings, HealthState } from '@shared/contract';
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

const LEVEL: Record<HealthState, Alert['level']> = { critical: 'critical', warning: 'warning', healthy: 'info', stopped: 'info' };

/** `snapshots`: where verdicts are kept for the report's history; `events`: the journal (alerts are rows, and it tells a stop on purpose). */
export function createHealthService(opts: { snapshots: HealthSnapshotRepository; bus: Bus; events: EventLog; docker: DockerService; settings: SettingsSlice<HealthSettings> }) {
  const { snapshots, bus, events, docker } = opts;
  const current = new Map<string, ContainerHealth>();
  const restarts = new Map<string, { ts: number; count: number }[]>();
  const alerts: Alert[] = [];
  let checkLoop: Loop | undefined;
  let snapLoop: Loop | undefined;
  let offSettings: (() => void) | undefined;
  let running = false;
  /** Set for good by stop(): judgements still in flight must not write afterwards. */
  let stopped = false;
  let checking: Promise<void> | undefined;

  const probeHost = (e: Engine) => {
    const h = e.monitor.get().host;
    const m = /^tcp:\/\/([^:/]+)/.exec(h);
    return m ? m[1]! : '127.0.0.1';
  };

  async function judge(engine: Engine, id: string): Promise<ContainerHealth | null> {
    const s = opts.settings.get();
    let info;
    try {
      info = await containerHandle(engine, id).inspect();
    } catch {
      current.delete(id);
      return null;
    }
    const d = detailFromInspect(info, engine.id);
    if (!d.managed) return null;
    const now = Date.now();
    const hist = (restarts.get(d.id) ?? []).filter((r) => r.ts >= now - s.restartWindowMinutes * 60_000);
    hist.push({ ts: now, count: d.restartCount });
    restarts.set(d.id, hist);
    const st = docker.stats.get(d.id);
    let probeSpec: ProbeSpec | null = null;
    let probeProblem: string | null = null;
    try {
      probeSpec = parseProbeLabel(d.labels[LABEL_PROBE]);
    } catch (e) {
      probeProblem = `probe label invalid: ${(e as Error).message}`;
    }
    let probe = null;
    if (probeSpec && d.state === 'running') {
      const bound = d.ports.find((p) => p.containerPort === probeSpec.port && p.hostPort);
      if (bound?.hostPort) {
        const host = probeHost(engine);
        probe = probeSpec.kind === 'http' ? await probeHttp(host, bound.hostPort, probeSpec.path, s.probeTimeoutMs) : await probeTcp(host, bound.hostPort, s.probeTimeoutMs);
      }
    }
    if (stopped) return null; // the app shut down while we were asking the engine: the database is closing
    const v = evaluate(
      {
        state: d.state,
        exitCode: d.exitCode,
        oomKilled: d.oomKilled,
        stoppedOnPurpose: !d.oomKilled && events.stoppedOnPurposeSince(d.id, d.startedAt ?? 0),
        restartsInWindow: hist[hist.length - 1]!.count - hist[0]!.count,
        dockerHealth: d.dockerHealth,
        cpuPercent: d.state === 'running' ? (st?.cpuPercent ?? null) : null,
        memoryPercent: d.state === 'running' ? (st?.memoryPercent ?? null) : null,
        probe,
        probeProblem,
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
      for (const id of [...current.keys()]) if (!seen.has(id)) current.delete(id);
      bus.emit('health.changed', [...current.values()]);
    })().finally(() => (checking = undefined));
    return checking;
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
    const action = e.Action.split(':')[0]!;
    if (action === 'destroy') {
      current.delete(e.Actor.ID);
      bus.emit('health.changed', [...current.values()]);
    } else if (['die', 'oom', 'start', 'health_status', 'pause', 'unpause'].includes(action)) {
      fireAndForget(
        judge(engine, e.Actor.ID).then(() => bus.emit('health.changed', [...current.values()])),
        `health check of container ${e.Actor.ID.slice(0, 12)} on its ${action} event`,
        events,
      );
    }
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
      checkLoop = every(s.checkIntervalSeconds * 1000, checkAll, { what: 'timed health check', journal: events });
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
      offSettings?.();
      await Promise.all([checkLoop?.dispose(), snapLoop?.dispose()]);
      checkLoop = snapLoop = undefined;
    },
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
