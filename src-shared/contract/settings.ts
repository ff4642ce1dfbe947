import { z } from 'zod';
import { event, request } from './define';

const percent = z.number().min(1).max(100);
export const thresholdsSchema = z.object({
  cpuWarnPercent: percent,
  cpuCriticalPercent: percent,
  memoryWarnPercent: percent,
  memoryCriticalPercent: percent,
  /** GPU temperature alerts (°C); defaults keep rows stored before they existed readable. */
  gpuTempWarnC: z.number().min(30).max(120).default(83),
  gpuTempCriticalC: z.number().min(30).max(120).default(90),
});
/** Metrics retention and GPU tool locations (null: found on PATH). */
export const metricsSettingsSchema = z.object({
  rawRetentionDays: z.number().int().min(1).max(90),
  rollupRetentionDays: z.number().int().min(1).max(3650),
  nvidiaSmiPath: z.string().min(1).max(4096).nullable(),
  tegrastatsPath: z.string().min(1).max(4096).nullable(),
});
export type MetricsSettings = z.infer<typeof metricsSettingsSchema>;

/** Container health judgement: thresholds (% of each container's own limit), probe, cadence, retention. */
export const healthSettingsSchema = z.object({
  cpuWarnPercent: percent,
  cpuCriticalPercent: percent,
  memoryWarnPercent: percent,
  memoryCriticalPercent: percent,
  /** Restarts within the window that make a container critical. */
  restartsCritical: z.number().int().min(1).max(100),
  restartWindowMinutes: z.number().int().min(1).max(1440),
  probeTimeoutMs: z.number().int().min(100).max(60_000),
  /** How often health is judged (and probes run). */
  checkIntervalSeconds: z.number().int().min(1).max(3600),
  /** How often each container's health is stored in health_snapshots. */
  snapshotIntervalSeconds: z.number().int().min(5).max(3600),
  retentionDays: z.number().int().min(1).max(365),
});
export type HealthSettings = z.infer<typeof healthSettingsSchema>;

/** The events journal's retention: rows older than retentionDays go, then the oldest beyond maxRows. */
export const journalSettingsSchema = z.object({
  retentionDays: z.number().int().min(1).max(3650),
  maxRows: z.number().int().min(1000).max(10_000_000),
});
export type JournalSettings = z.infer<typeof journalSettingsSchema>;

/** The daily automatic backup of mlenv.db into the data folder's backups/, keeping the newest `keep`. */
export const backupSettingsSchema = z.object({
  enabled: z.boolean(),
  keep: z.number().int().min(1).max(100),
});
export type BackupSettings = z.infer<typeof backupSettingsSchema>;

/** Every setting, one row each in the `settings` table (key → JSON value). */
export const settingsSchema = z.object({
  /** How often the sampler takes a snapshot. */
  sampleIntervalMs: z.number().int().min(250).max(60_000),
  /** How much live history the in-memory ring keeps for the dashboard's sparklines. */
  liveWindowSeconds: z.number().int().min(60).max(3600),
  thresholds: thresholdsSchema,
  metrics: metricsSettingsSchema,
  health: healthSettingsSchema,
  journal: journalSettingsSchema,
  backup: backupSettingsSchema,
});
export type Settings = z.infer<typeof settingsSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  sampleIntervalMs: 1000,
  liveWindowSeconds: 600,
  thresholds: { cpuWarnPercent: 85, cpuCriticalPercent: 95, memoryWarnPercent: 85, memoryCriticalPercent: 95, gpuTempWarnC: 83, gpuTempCriticalC: 90 },
  metrics: { rawRetentionDays: 7, rollupRetentionDays: 90, nvidiaSmiPath: null, tegrastatsPath: null },
  health: {
    cpuWarnPercent: 95,
    cpuCriticalPercent: 100,
    memoryWarnPercent: 85,
    memoryCriticalPercent: 95,
    restartsCritical: 3,
    restartWindowMinutes: 10,
    probeTimeoutMs: 2000,
    checkIntervalSeconds: 10,
    snapshotIntervalSeconds: 60,
    retentionDays: 7,
  },
  journal: { retentionDays: 30, maxRows: 100_000 },
  backup: { enabled: true, keep: 3 },
};

export const settingsPatchSchema = z
  .object({
    sampleIntervalMs: settingsSchema.shape.sampleIntervalMs.optional(),
    liveWindowSeconds: settingsSchema.shape.liveWindowSeconds.optional(),
    thresholds: thresholdsSchema.partial().strict().optional(),
    metrics: metricsSettingsSchema.partial().strict().optional(),
    health: healthSettingsSchema.partial().strict().optional(),
    journal: journalSettingsSchema.partial().strict().optional(),
    backup: backupSettingsSchema.partial().strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const settingsRequests = {
  'settings.get': request(z.object({}).strict()).returns<Settings>(),
  'settings.update': request(z.object({ patch: settingsPatchSchema }).strict()).returns<Settings>(),
};
export const settingsEvents = {
  'settings.changed': event<Settings>(),
};
