// Composition root: builds every service from config, wires them to the bus and, through the
// request map (src-main/handlers), to the router; starts and disposes them. Plain Node: never imports 'electron'.
import path from 'node:path';
import type Docker from 'dockerode';
import type { AppInfo, OverallStatus, Settings, SettingsPatch } from '@shared/contract';
import { createHandlers } from '../handlers';
import { createRouter } from '../router';
import { createBus } from './bus';
import { createCatalogLauncher } from './catalog/launch';
import { createCatalogService } from './catalog/service';
import { controlAddress } from './control/address';
import { listenControl, type ControlServer } from './control/server';
import { createEngineMonitor } from './docker/engine-monitor';
import { journalGpuFault, journalGpuStatus } from './gpu-journal';
import { createFileSecretStore, SECRETS_FILE, secretStorageInfo, type SecretStore } from './docker/secrets';
import { createDockerService } from './docker/service';
import { createHealthService } from './health/service';
import { createLifecycle } from './lifecycle/service';
import { withReadyFacts } from './admission/ready-lifecycle';
import { createAdmission } from './admission/service';
import type { HostFacts } from './admission/facts';
import type { Engine } from './docker/engine-registry';
import { createCgroupView } from './tiers/cgroup-view';
import { createTierManager } from './tiers/manager';
import { createOptimiserSchedule } from './tiers/optimiser-schedule';
import { createProxyService } from './tiers/proxy-service';
import { log } from './log';
import { createMetricsService } from './metrics/service';
import { createSampler } from './sampler';
import { acquireOwner, type Owner, type OwnerClaim } from './owner';
import { overallStatus } from './status';
import { createBackupService } from './store/backup-service';
import { createScratchCatalogs } from './store/catalog';
import { DB_FILE, openDatabase, openDatabaseForReading, type Db } from './store/db';
import { createEventLog, discardingJournal, onEngine } from './store/events';
import { createJournalRetention } from './store/journal-retention';
import { createRepositories } from './store/repositories';
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
  /**
   * False: every container's stats through Docker's streaming stats, as before core/cgroup (the
   * benchmark's baseline). Default: local containers' from their cgroup files, the rest streamed.
   */
  statsFromCgroups?: boolean;
  /**
   * Who owns the data folder while this core runs (owner.ts), named to a second owner that is refused.
   * 'desktop' and 'serve' also answer on the control socket once started. Default: an owner named by
   * its pid alone (tests, benchmarks).
   */
  owner?: OwnerClaim;
  /**
   * A core for the read-only CLI commands when no app runs: it owns nothing and writes nothing — no
   * owner lock, mlenv.db opened read-only, no journal rows, no health checks, no metrics, no backups.
   */
  readOnly?: boolean;
  /**
   * Offers the OpenAI-compatible model proxy on a port of its own (127.0.0.1, setting tiers.proxy, off
   * until enabled there): the desktop app and mlenv serve turn this on; one-shot commands do not.
   */
  modelProxy?: boolean;
  /** Admission with the host's figures given instead of sampled (tests, benchmarks: a machine exactly as decide() will see it). */
  admission?: { hostFacts?: (engine: Engine, now: number) => HostFacts };
}

export function createApp(config: AppConfig) {
  const startedAt = Date.now();
  const readOnly = config.readOnly === true;
  const claim: OwnerClaim = config.owner ?? { transport: 'core' };
  // Owned before anything is opened: a second owner is refused (OwnerRefused) before it touches the database.
  const owner: Owner | undefined = readOnly ? undefined : acquireOwner(config.dataDir, { ...claim, version: config.version, startedAt }, { sqliteBinding: config.sqliteBinding });
  let db: Db;
  try {
    db = readOnly ? openDatabaseForReading(config.dataDir, config.sqliteBinding) : openDatabase(config.dataDir, config.sqliteBinding);
  } catch (e) {
    owner?.release();
    throw e;
  }
  const events = readOnly ? discardingJournal(createEventLog(db)) : createEventLog(db);
  /** Metrics, journal retention and backups: only an owner that keeps what it sees. */
  const persists = !readOnly && config.persistMetrics !== false;
  // Services get the repositories they use (core/store), never the database.
  const repositories = createRepositories(db);
  const settings = createSettingsStore(repositories.settings, events);
  const bus = createBus();
  const engine = createEngineMonitor({ bus, docker: config.docker });
  const secrets = config.secrets ?? createFileSecretStore(path.join(config.dataDir, SECRETS_FILE));
  const docker = createDockerService({ repositories, bus, events, engine, secrets, statsFromCgroups: config.statsFromCgroups });
  const health = createHealthService({ snapshots: repositories.healthSnapshots, bus, events, docker, settings: settings.slice((s) => s.health) });
  const samplerSettings = settings.slice((s) => ({
    intervalMs: config.sampleIntervalMs ?? s.sampleIntervalMs,
    liveWindowSeconds: s.liveWindowSeconds,
    tools: { nvidiaSmi: s.metrics.nvidiaSmiPath, tegrastats: s.metrics.tegrastatsPath },
  }));
  const sampler = createSampler({
    bus,
    ...samplerSettings.get(),
    settings: samplerSettings, // followed: a change of interval, window or tools applies at once
    containers: { latest: () => docker.latestStats(), sample: (ts) => docker.sampleStats(ts) },
    toolEnv: config.toolEnv,
    journal: events,
    // Journaled: a dying nvidia-smi (once per outage) and a faulted or lost GPU are failures the user can read about later.
    onGpuStatus: journalGpuStatus(events),
    onGpuFault: journalGpuFault(events),
  });
  // Admission control (core/admission): every launch, start, unpause and restart decided on the live figures, the reservation ledger and the project quotas.
  const admission = createAdmission({
    repository: repositories.admission,
    bus,
    events,
    engines: docker.engines,
    sampler,
    sampleIntervalMs: () => samplerSettings.get().intervalMs,
    inspect: (e, id) => docker.containers.managed(e, id, `check the start of ${id}`),
    hostFacts: config.admission?.hostFacts,
    retentionDays: () => settings.get().journal.retentionDays,
  });
  // The one gate every create, start, unpause and restart passes, with admission deciding in it (on facts made ready first).
  const lifecycle = withReadyFacts(createLifecycle({ bus, images: docker.images, containers: docker.containers, admission: admission.gate }), admission);
  const metrics = createMetricsService({ repository: repositories.metrics, bus, events, retention: () => settings.get().metrics, flushMs: config.metricsFlushMs });
  const journalRetention = createJournalRetention({ events, settings: () => settings.get().journal });
  // The image catalog: seeded at first start; NGC is read only when asked (catalog.refresh / catalog.tags).
  // A read-only core over a catalog never seeded reads the shipped one from a database in memory (closed with the core).
  const shippedCatalogs = createScratchCatalogs(config.sqliteBinding);
  const catalog = createCatalogService({
    repository: repositories.catalog,
    events,
    bus,
    secrets,
    logins: repositories.registryLogins,
    settings: settings.slice((s) => s.catalog),
    readOnly,
    ...(readOnly ? { scratch: shippedCatalogs.take } : {}),
  });
  // One-click launch: catalog entry + this host → a launch through the lifecycle gate.
  const launcher = createCatalogLauncher({
    catalog,
    engines: docker.engines,
    images: docker.images,
    containers: docker.containers,
    lifecycle,
    sampler,
    settings: () => settings.get().launch,
    prefs: repositories.launchPrefs,
    bus,
  });
  const backups = createBackupService({ db, dataDir: config.dataDir, bus, events, settings: () => settings.get().backup });
  // Model tiers: the model library and its containers' placement; every start and unpause passes the lifecycle gate.
  const tierCgroups = createCgroupView();
  const tiers = createTierManager({
    repo: repositories.tiers,
    bus,
    events,
    docker,
    lifecycle,
    cgroups: tierCgroups,
    secrets,
    readOnly,
    catalog: async (repository) => {
      try {
        return await catalog.get(repository);
      } catch (e) {
        if ((e as { code?: string }).code === 'NOT_FOUND') return undefined;
        throw e;
      }
    },
  });
  // The optimiser on the schedule of tiers.optimizeEveryMinutes, and the model proxy on its own port (tiers.proxy).
  const tierOptimiser = createOptimiserSchedule({ optimize: (apply) => tiers.optimize(apply), minutes: settings.slice((s) => s.tiers.optimizeEveryMinutes), journal: events });
  const tierProxy = createProxyService({ tiers, secrets, settings: settings.slice((s) => s.tiers.proxy), journal: events, readOnly });

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
    // A one-shot command seeing the engine connected is no news: only the apps that watch it journal its changes.
    if (claim.transport !== 'command') events.record({ type: `engine.${s.state}`, ...onEngine(docker.engines.get()), outcome: s.state === 'unreachable' ? 'error' : 'ok', error: s.error, details: { host: s.host } });
  });

  const info = (): AppInfo => ({
    name: 'MLEnv Desktop',
    version: config.version,
    dataDir: config.dataDir,
    dbPath: path.join(config.dataDir, DB_FILE),
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    pid: process.pid,
    startedAt,
    secretStorage: secretStorageInfo(secrets),
  });
  /** Stores the patch (the services following a slice of it are told by the store), then tells every settings.changed listener. */
  const applySettings = (patch: SettingsPatch): Settings => {
    const next = settings.update(patch);
    bus.emit('settings.changed', next);
    refreshStatus();
    return next;
  };
  const handlers = createHandlers({
    info,
    settings,
    applySettings,
    getStatus: () => status,
    engine,
    docker,
    lifecycle,
    health,
    backups,
    events,
    sampler,
    metrics,
    admission,
    catalog,
    tiers,
    tierProxy,
    launcher,
  });

  const router = createRouter(handlers, {
    // The journal keeps the whole message; an INTERNAL answer names only this row's id (router.ts).
    onFailure(name, error, cause) {
      let eventId: number | undefined;
      try {
        if (!readOnly) eventId = events.record({ type: 'request.failed', outcome: 'error', error: `${error.code}: ${error.message}`, details: { request: name } });
      } finally {
        // Logged even when the journal cannot take it (the answer then points at the log).
        if (error.code === 'INTERNAL') log.error(`request ${name} failed`, { eventId, message: error.message, stack: (cause as Error)?.stack });
      }
      return eventId;
    },
  });

  let control: ControlServer | undefined;

  return {
    config,
    /** This core's hold on the data folder; undefined for a read-only core. */
    owner,
    db,
    /** The repositories over `db` that the services were given (the events repository is `events`). */
    repositories,
    bus,
    router,
    events,
    settings,
    engine,
    sampler,
    metrics,
    docker,
    lifecycle,
    health,
    backups,
    journalRetention,
    admission,
    catalog,
    tiers,
    tierProxy,
    launcher,
    /** Newest stats of every running managed container (as of the sampler's last tick for local ones). */
    containerStats: { latest: () => docker.latestStats() },
    getStatus: () => status,
    async start() {
      engine.start();
      docker.start();
      if (!readOnly) health.start();
      if (!readOnly) admission.start();
      if (persists) {
        metrics.start();
        journalRetention.start();
        backups.start();
      }
      await sampler.start();
      if (!readOnly) {
        await tiers.start();
        tierOptimiser.start();
        if (config.modelProxy) await tierProxy.start();
      }
      // Last, so that a CLI command that reaches the app finds it running.
      if (claim.transport === 'desktop' || claim.transport === 'serve') {
        control = await listenControl({ address: controlAddress(config.dataDir), router, bus, journal: events });
      }
    },
    async dispose() {
      await control?.close(); // no call starts after this
      sampler.stop();
      await tierProxy.dispose(); // no request reaches the tier manager after this
      await tierOptimiser.dispose();
      await tiers.dispose(); // moves under way end (or are given up) before the engine and the database go
      tierCgroups.close();
      if (persists) await metrics.stop(); // commits the last batch
      await health.stop(); // a check in flight ends before the database closes
      await admission.stop(); // an audit pass in flight ends before the database closes
      docker.stop();
      engine.stop();
      // A journal sweep or a backup in flight ends before its next step; only then does the database close.
      await Promise.all([journalRetention.stop(), backups.stop(), catalog.stop()]);
      db.close();
      shippedCatalogs.close();
      owner?.release();
    },
  };
}
export type App = ReturnType<typeof createApp>;
