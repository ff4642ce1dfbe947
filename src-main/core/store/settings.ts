import { AppError } from '@shared/errors';
import { DEFAULT_SETTINGS, settingsSchema, type Settings, type SettingsPatch } from '@shared/contract';
import { reportFailure } from '../fire-and-forget';
import { toolPathProblem, type ToolName } from '../sampler/tool-path';
import type { EventLog } from './events';
import type { SettingsRepository } from './settings-repository';

type Key = keyof Settings;

/**
 * The part of the settings one service uses: its value now, and a subscription told the new value
 * after an update that changed it (compared as JSON). subscribe() returns the unsubscribe function.
 */
export interface SettingsSlice<T> {
  get(): T;
  subscribe(fn: (next: T) => void): () => void;
}

/** A slice that never changes (tests, one-shot tools). */
export const fixedSettings = <T>(value: T): SettingsSlice<T> => ({ get: () => value, subscribe: () => () => undefined });

/** The settings that name a program the sampler runs, and the program each must be. */
const TOOL_PATHS: [keyof Settings['metrics'] & `${string}Path`, ToolName][] = [
  ['nvidiaSmiPath', 'nvidia-smi'],
  ['tegrastatsPath', 'tegrastats'],
];

/**
 * Settings live one row a key (JSON). A row that no longer parses is reported as an event and
 * its default used; the row itself is kept untouched until the user saves a new value.
 */
export function createSettingsStore(rows: SettingsRepository, events: EventLog) {
  function load(): Settings {
    const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const { key, value } of rows.all()) {
      if (!(key in settingsSchema.shape)) continue; // a setting this version no longer knows: keep it, ignore it
      const schema = settingsSchema.shape[key as Key];
      let problem: string | undefined;
      try {
        const parsed = schema.safeParse(JSON.parse(value));
        if (parsed.success) out[key] = parsed.data;
        else problem = parsed.error.issues.map((i) => `${i.path.join('.') || key}: ${i.message}`).join('; ');
      } catch (e) {
        problem = `not valid JSON (${(e as Error).message})`;
      }
      if (problem) {
        events.record({
          type: 'settings.invalid',
          outcome: 'error',
          error: `setting "${key}" is unreadable (${problem}); using the default until it is saved again`,
          details: { key, value },
        });
      }
    }
    // A stored tool path is kept (the sampler checks it again before every run and shows why it
    // refuses it), but a bad one is told at start.
    const metrics = (out as Settings).metrics;
    for (const [field, tool] of TOOL_PATHS) {
      const refused = metrics[field] ? toolPathProblem(metrics[field], tool) : null;
      if (refused) events.record({ type: 'settings.invalid', outcome: 'error', error: `${refused}; it will not be run until a valid path is saved`, details: { key: 'metrics', field } });
    }
    return out as Settings;
  }

  let current = load();
  const listeners = new Set<(s: Settings) => void>();

  return {
    get: (): Settings => current,
    /** The slice `select` picks out of the settings; its subscribers are told only when it changed. */
    slice<T>(select: (s: Settings) => T): SettingsSlice<T> {
      return {
        get: () => select(current),
        subscribe(fn) {
          let last = JSON.stringify(select(current));
          const listener = (s: Settings) => {
            const value = select(s);
            const json = JSON.stringify(value);
            if (json === last) return;
            last = json;
            fn(value);
          };
          listeners.add(listener);
          return () => void listeners.delete(listener);
        },
      };
    },
    update(patch: SettingsPatch): Settings {
      const next: Settings = {
        ...current,
        ...patch,
        thresholds: { ...current.thresholds, ...patch.thresholds },
        metrics: { ...current.metrics, ...patch.metrics },
        health: { ...current.health, ...patch.health },
        journal: { ...current.journal, ...patch.journal },
        backup: { ...current.backup, ...patch.backup },
        catalog: { ...current.catalog, ...patch.catalog },
        launch: { ...current.launch, ...patch.launch },
        tiers: { ...current.tiers, ...patch.tiers, proxy: { ...current.tiers.proxy, ...patch.tiers?.proxy } },
      } as Settings;
      const h = next.health;
      if (h.cpuWarnPercent >= h.cpuCriticalPercent || h.memoryWarnPercent >= h.memoryCriticalPercent) {
        throw new AppError('INVALID_INPUT', `container health: a warning threshold must be below its critical threshold (CPU ${h.cpuWarnPercent}/${h.cpuCriticalPercent} %, memory ${h.memoryWarnPercent}/${h.memoryCriticalPercent} %)`);
      }
      if (next.thresholds.gpuTempWarnC >= next.thresholds.gpuTempCriticalC) {
        throw new AppError('INVALID_INPUT', `GPU temperature warning (${next.thresholds.gpuTempWarnC} °C) must be below its critical threshold (${next.thresholds.gpuTempCriticalC} °C)`);
      }
      if (next.metrics.rollupRetentionDays < next.metrics.rawRetentionDays) {
        throw new AppError('INVALID_INPUT', `rollup retention (${next.metrics.rollupRetentionDays} d) must be at least the full-grain retention (${next.metrics.rawRetentionDays} d)`);
      }
      for (const [field, tool] of TOOL_PATHS) {
        const p = patch.metrics?.[field];
        const refused = p ? toolPathProblem(p, tool) : null;
        if (refused) throw new AppError('INVALID_INPUT', `${refused}.`);
      }
      const t = next.thresholds;
      if (t.cpuWarnPercent >= t.cpuCriticalPercent || t.memoryWarnPercent >= t.memoryCriticalPercent) {
        throw new AppError('INVALID_INPUT', 'a warning threshold must be below its critical threshold', t);
      }
      rows.save((Object.keys(patch) as Key[]).map((key) => [key, next[key]]), Date.now());
      current = next;
      for (const listener of [...listeners]) {
        try {
          listener(next);
        } catch (e) {
          reportFailure(e, 'applying changed settings', events); // saved all the same; one service's failure stops no other
        }
      }
      return current;
    },
  };
}
export type SettingsStore = ReturnType<typeof createSettingsStore>;
