// Composition root: builds every service from config, wires them to the bus and the router,
// starts and disposes them. Plain Node: never imports 'electron'.
import path from 'node:path';
import type Docker from 'dockerode';
import type { OverallStatus } from '@shared/contract';
import { createRouter, type Handlers } from '../router';
import { createBus } from './bus';
import { createEngineMonitor } from './docker/engine';
import { journalGpuFault, journalGpuStatus } from './gpu-journal';
import { createFileSecretStore, SECRETS_FILE, type SecretStore } from './docker/secrets';
import { createDockerService } from './docker/service';
import { createHealthService } from './health/service';
import { acquireInstanceLock } from './instance-lock';
import { log } from './log';
import { createMetricsService } from './metrics';
import { createSampler } from './sampler';
import { overallStatus } from './status';
import { createBackupService } from './store/backup-service';
import { DB_FILE, openDatabase } from './store/db';
import { createEventLog } from './store/events';
import { createJournalRetention } from './store/journal-retention';
import { createSettingsStore } from './store/settings';

export interface AppConfig {
  dataDir: string;
  version: string;
  /** Overrides the stored setting, e.g. for tests and benchmarks. */
  sampleIntervalMs?: number;
  docker?: Docker;
  /** Path to a better_sqlite3.node built for the running runtime (Electron). */
  sqliteBinding?: string;
  /** Where registry secrets live: Electron's safeStorage in the desktop app, a 0600 file otherwise. */
  secrets?: SecretStore;
  /** False for one-shot readers such as `mlenv stats`: sample, but write no metrics. */
  persistMetrics?: boolean;
  /** Environment of the GPU tool processes (tests put fixture executables first on PATH). */
  toolEnv?: NodeJS.ProcessEnv;
  /** How often queued metrics are committed (default 5 s). */
  metricsFlushMs?: number;
}

export function createApp(config: AppConfig) {
  const startedAt = Date.now();
  const db = openDatabase(config.dataDir, config.sqliteBinding);
  // Marks the data folder as in use (mlenv db restore refuses while it is); removed on dispose.
  let lock: ReturnType<typeof acquireInstanceLock>;
  try {
    lock = acquireInstanceLock(config.dataDir, { version: config.version, startedAt });
  } catch (e) {
    db.close();
    throw e;
  }
  const events = createEventLog(db);
  const settings = createSettingsStore(db, events);
  const bus = createBus();
  const engine = createEngineMonitor({ bus, docker: config.docker });
  const secrets = config.secrets ?? createFileSecretStore(path.join(config.dataDir, SECRETS_FILE));
  const docker = createDockerService({ db, bus, events, engine, secrets });
  const health = createHealthService({ db, bus, events, docker, settings: () => settings.get().health });
  bus.on('settings.changed', () => health.reschedule());
  const sampler = createSampler({
    bus,
    intervalMs: config.sampleIntervalMs ?? settings.get().sampleIntervalMs,
    liveWindowSeconds: settings.get().liveWindowSeconds,
    tools: { nvidiaSmi: settings.get().metrics.nvidiaSmiPath, tegrastats: settings.get().metrics.tegrastatsPath },
    containers: { latest: () => docker.latestStats() },
    toolEnv: config.toolEnv,
    journal: events,
    // Journaled: a dying nvidia-smi (once per outage) and a faulted or lost GPU are failures the user can read about later.
    onGpuStatus: journalGpuStatus(events),
    onGpuFault: journalGpuFault(events),
  });
  const metrics = createMetricsService({ db, bus, events, retention: () => settings.get().metrics, flushMs: config.metricsFlushMs });
  const journalRetention = createJournalRetention({ db, events, settings: () => settings.get().journal });
  const backups = createBackupService({ db, dataDir: config.dataDir, bus, events, settings: () => settings.get().backup });

  let status: OverallStatus = overallStatus(undefined, engine.get(), settings.get().thresholds);
  const refreshStatus = () => {
    const next = overallStatus(sampler.latest(), engine.get(), settings.get().thresholds, health.current());
    if (next.level !== status.level || next.reasons.join() !== status.reasons.join()) {
      status = next;
      bus.emit('status.changed', status);
    } else status = next;
  };
  bus.on('metrics.snapshot', refreshStatus);
  bus.on('health.changed', refreshStatus); // a container turning critical reddens the tray at once
  bus.on('engine.status', (s) => {
    refreshStatus();
    events.record({ type: `engine.${s.state}`, engine: docker.engines.get().name, outcome: s.state === 'unreachable' ? 'error' : 'ok', error: s.error, details: { host: s.host } });
  });

  const handlers: Handlers = {
    ...docker.handlers,
    ...health.handlers,
    ...backups.handlers,
    'app.info': () => ({
      name: 'MLEnv Desktop',
      version: config.version,
      dataDir: config.dataDir,
      dbPath: path.join(config.dataDir, DB_FILE),
      platform: process.platform,
      arch: process.arch,
      nodeVersion: process.versions.node,
      pid: process.pid,
      startedAt,
    }),
    'settings.get': () => settings.get(),
    'settings.update': ({ patch }) => {
      const next = settings.update(patch);
      sampler.configure({
        intervalMs: config.sampleIntervalMs ?? next.sampleIntervalMs,
        liveWindowSeconds: next.liveWindowSeconds,
        tools: { nvidiaSmi: next.metrics.nvidiaSmiPath, tegrastats: next.metrics.tegrastatsPath },
      });
      bus.emit('settings.changed', next);
      refreshStatus();
      return next;
    },
    'engine.get': () => engine.get(),
    'metrics.recent': ({ seconds }) => sampler.recent(seconds),
    'metrics.series': ({ prefix }) => metrics.series(prefix),
    'metrics.history': (input) => metrics.history(input),
    'status.get': () => status,
  };

  const router = createRouter(handlers, {
    onFailure(name, error, cause) {
      if (error.code === 'INTERNAL') log.error(`request ${name} failed`, { message: error.message, stack: (cause as Error)?.stack });
      events.record({ type: 'request.failed', outcome: 'error', error: `${error.code}: ${error.message}`, details: { request: name } });
    },
  });

  return {
    config,
    db,
    bus,
    router,
    events,
    settings,
    engine,
    sampler,
    metrics,
    docker,
    health,
    backups,
    journalRetention,
    /** Newest streaming stats of every running managed container, for the sampler's tick. */
    containerStats: { latest: () => docker.latestStats() },
    getStatus: () => status,
    async start() {
      engine.start();
      docker.start();
      health.start();
      if (config.persistMetrics !== false) {
        metrics.start();
        journalRetention.start();
        backups.start();
      }
      await sampler.start();
    },
    async dispose() {
      sampler.stop();
      if (config.persistMetrics !== false) metrics.stop(); // commits the last batch
      health.stop();
      docker.stop();
      engine.stop();
      // A journal sweep or a backup in flight ends before its next step; only then does the database close.
      await Promise.all([journalRetention.stop(), backups.stop()]);
      lock.release();
      db.close();
    },
  };
}
export type App = ReturnType<typeof createApp>;
