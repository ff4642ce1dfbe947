// The host's headline figures hour by hour: the v_system_summary view over system_snapshots (one row
// per sampler tick). Read by `mlenv stats --hourly`.
import type { Db } from '../db';

export const HOUR_MS = 3_600_000;

/** One hour of system snapshots. Percentages are 0–100, VRAM in MiB; GPU figures null where no GPU reported. */
export interface HourSummary {
  /** Hour start, ms since epoch (UTC hour boundary). */
  hour: number;
  samples: number;
  cpuPercentAvg: number;
  cpuPercentMax: number;
  memoryPercentAvg: number;
  memoryPercentMax: number;
  load1Avg: number;
  gpuUtilAvg: number | null;
  vramUsedMibAvg: number | null;
  containersRunningAvg: number;
}

export function createSystemSummary(db: Db) {
  const hours = db.prepare(
    `SELECT hour, samples, cpu_percent_avg AS cpuPercentAvg, cpu_percent_max AS cpuPercentMax,
            memory_percent_avg AS memoryPercentAvg, memory_percent_max AS memoryPercentMax, load1_avg AS load1Avg,
            gpu_util_avg AS gpuUtilAvg, vram_used_mib_avg AS vramUsedMibAvg, containers_running_avg AS containersRunningAvg
     FROM v_system_summary WHERE hour >= ? AND hour < ? ORDER BY hour`,
  );
  return {
    /** The hours that start in [from, to) (ms since epoch; `from` is rounded down to its hour), oldest first; hours without samples are absent. */
    hours: (from: number, to: number): HourSummary[] => hours.all(Math.floor(from / HOUR_MS) * HOUR_MS, to) as HourSummary[],
  };
}
export type SystemSummary = ReturnType<typeof createSystemSummary>;
