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

/**
 * Where the image catalog reads NGC and its registry. `registryMirror` serves the same repositories
 * as `registry` (an air-gapped site's mirror, or a test registry on 127.0.0.1): registry API calls
 * and pulls of NGC images go there instead. `cacheTtlHours`: how long NGC answers are reused.
 */
export const catalogSettingsSchema = z.object({
  ngcApiUrl: z.string().min(1).max(2048).regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'an http(s) URL such as https://api.ngc.nvidia.com'),
  registry: z.string().min(1).max(261).regex(/^[a-zA-Z0-9.-]+(:\d{1,5})?$/, 'a registry host such as nvcr.io'),
  /** host[:port] (https) or http(s)://host[:port]; null: none. */
  registryMirror: z
    .string()
    .min(1)
    .max(2048)
    .regex(/^(https?:\/\/)?[a-zA-Z0-9.-]+(:\d{1,5})?\/?$/, 'a registry such as mirror.local:5000 or http://127.0.0.1:5000')
    .nullable(),
  cacheTtlHours: z.number().min(0).max(24 * 365),
  /** How long one NGC or registry request may take. */
  requestTimeoutMs: z.number().int().min(500).max(120_000),
});
export type CatalogSettings = z.infer<typeof catalogSettingsSchema>;

/**
 * A folder on the engine's host, as a bind mount's source takes it: absolute (/home/me/work, or
 * C:\Users\me\work on Windows), without "..", control characters or NUL. Whether it exists is
 * checked where it is used.
 */
export const projectDirSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) && !/[\0-\x1f\x7f]/.test(p) && !p.split(/[\\/]/).includes('..'), 'an absolute folder path such as /home/me/work or C:\\Users\\me\\work, without ..');

/** One-click launch: the project folder the user picked once, mounted at /workspace/<folder name> (null: none). */
export const launchSettingsSchema = z.object({
  projectDir: projectDirSchema.nullable(),
});
export type LaunchSettings = z.infer<typeof launchSettingsSchema>;

/**
 * The desktop's OpenAI-compatible model proxy (core/tiers/proxy-listener.ts): a listener on
 * 127.0.0.1:`port` only, answering requests that carry the token tiers.proxyStatus shows. 11435 by
 * default: beside Ollama's 11434, which OpenAI-compatible clients are often set up for, without
 * taking it, and away from the ports model servers use themselves (vLLM 8000, llama.cpp 8080).
 */
export const tierProxySettingsSchema = z.object({
  enabled: z.boolean(),
  port: z.number().int().min(1024).max(65535),
});
export type TierProxySettings = z.infer<typeof tierProxySettingsSchema>;

/** Model tiers: the optimiser's schedule (minutes between runs that apply its plan; 0: only by hand) and the proxy listener. */
export const tiersSettingsSchema = z.object({
  optimizeEveryMinutes: z.number().int().min(0).max(1440),
  proxy: tierProxySettingsSchema,
});
export type TiersSettings = z.infer<typeof tiersSettingsSchema>;

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
  catalog: catalogSettingsSchema,
  launch: launchSettingsSchema,
  tiers: tiersSettingsSchema,
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
  catalog: { ngcApiUrl: 'https://api.ngc.nvidia.com', registry: 'nvcr.io', registryMirror: null, cacheTtlHours: 24, requestTimeoutMs: 15_000 },
  launch: { projectDir: null },
  tiers: { optimizeEveryMinutes: 0, proxy: { enabled: false, port: 11435 } },
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
    catalog: catalogSettingsSchema.partial().strict().optional(),
    launch: launchSettingsSchema.partial().strict().optional(),
    tiers: z
      .object({ optimizeEveryMinutes: tiersSettingsSchema.shape.optimizeEveryMinutes.optional(), proxy: tierProxySettingsSchema.partial().strict().optional() })
      .strict()
      .optional(),
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
