import { z } from 'zod';
import { event, request } from './define';

const percent = z.number().min(1).max(100);
export const thresholdsSchema = z.object({
  cpuWarnPercent: percent,
  cpuCriticalPercent: percent,
  memoryWarnPercent: percent,
  memoryCriticalPercent: percent,
});

/** Every setting, one row each in the `settings` table (key → JSON value). */
export const settingsSchema = z.object({
  /** How often the sampler takes a snapshot. */
  sampleIntervalMs: z.number().int().min(250).max(60_000),
  /** How much live history the in-memory ring keeps for the dashboard's sparklines. */
  liveWindowSeconds: z.number().int().min(60).max(3600),
  thresholds: thresholdsSchema,
});
export type Settings = z.infer<typeof settingsSchema>;
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  sampleIntervalMs: 1000,
  liveWindowSeconds: 600,
  thresholds: { cpuWarnPercent: 85, cpuCriticalPercent: 95, memoryWarnPercent: 85, memoryCriticalPercent: 95 },
};

export const settingsPatchSchema = z
  .object({
    sampleIntervalMs: settingsSchema.shape.sampleIntervalMs.optional(),
    liveWindowSeconds: settingsSchema.shape.liveWindowSeconds.optional(),
    thresholds: thresholdsSchema.partial().strict().optional(),
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
