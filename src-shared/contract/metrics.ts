import { z } from 'zod';
import type { ContainerStats } from './container-stats';
import { event, request } from './define';

/** One mounted filesystem (real block devices and overlay/tmpfs roots we care about). */
export interface DiskUsage {
  mount: string;
  device: string;
  fsType: string;
  total: number;
  used: number;
  free: number;
  percent: number;
}

/** The host at one instant. Bytes are bytes; percentages are 0–100; rates are per second. */
export interface HostSample {
  cpu: { percent: number; perCore: number[]; cores: number };
  memory: { total: number; used: number; available: number; percent: number };
  swap: { total: number; used: number };
  load: [number, number, number];
  /** Per mount; refreshed every few ticks (statfs is cheap but not free). */
  disks?: DiskUsage[];
  /** Summed over whole block devices (partitions are not double counted). Null on the first tick. */
  diskIo?: { readBytesPerSec: number; writeBytesPerSec: number } | null;
  /** Per interface, loopback excluded. */
  network?: { iface: string; rxBytesPerSec: number; txBytesPerSec: number }[];
  /** The hottest CPU/package sensor in °C, or null where the host exposes none. */
  cpuTemperatureC?: number | null;
}

/** One NVIDIA GPU as nvidia-smi reports it. Any field the driver leaves out is null, never 0. */
export interface GpuSample {
  index: number;
  uuid: string;
  name: string;
  busId: string | null;
  driverVersion: string | null;
  utilizationGpu: number | null;
  utilizationMemory: number | null;
  /** MiB, as nvidia-smi counts them. */
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  temperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  smClockMHz: number | null;
  memClockMHz: number | null;
  fanPercent: number | null;
  eccUncorrectedVolatile: number | null;
  pcieLinkGen: number | null;
  /** Decoded throttle (clock event) reasons, e.g. ["SwPowerCap"]; [] when none, null when unknown. */
  throttleReasons: string[] | null;
  /** Processes using this GPU, with our container where the PID belongs to one. */
  processes: GpuProcess[];
}

export interface GpuProcess {
  pid: number;
  name: string | null;
  usedMiB: number | null;
  containerId: string | null;
}

/** A Jetson board from tegrastats. */
export interface JetsonSample {
  ramUsedMiB: number;
  ramTotalMiB: number;
  swapUsedMiB: number | null;
  swapTotalMiB: number | null;
  /** Per core: percent busy, or null when the core is off. */
  cpu: { percent: number | null; mhz: number | null }[];
  emcPercent: number | null;
  gpuPercent: number | null;
  gpuMHz: number | null;
  temperaturesC: Record<string, number>;
  /** Rails in mW: current and average. */
  rails: Record<string, { mW: number; avgmW: number }>;
  /** The board's total input rail (the first of VDD_IN, POM_5V_IN, SYS5V, VIN_SYS_5V0 present). */
  totalPowerMw: number | null;
}

/** Where GPU figures come from right now. */
export interface GpuSourceStatus {
  tool: 'nvidia-smi' | 'tegrastats' | 'none';
  state: 'running' | 'restarting' | 'absent';
  /** Why it is absent or restarting, in the tool's or the OS's words. */
  error?: string;
}

/** One sampler tick. */
export interface MetricsSnapshot {
  ts: number;
  host: HostSample;
  /** Empty when the host has no NVIDIA GPU (or nvidia-smi is restarting: a gap, not zeros). */
  gpus?: GpuSample[];
  gpuSource?: GpuSourceStatus;
  jetson?: JetsonSample | null;
  /** Latest stats of each running managed container. */
  containers?: ContainerStats[];
}

/** One stored series: `<scope>:<subject>:<metric>`, e.g. host::cpu_percent, gpu:GPU-3a1f…:utilization_gpu. */
export interface SeriesInfo {
  name: string;
  scope: 'host' | 'gpu' | 'container' | 'jetson';
  /** The resource type of seed 004. */
  resource: 'cpu' | 'memory' | 'disk' | 'network' | 'gpu';
  subject: string;
  metric: string;
  unit: string;
  label: string;
  firstTs: number;
  lastTs: number;
}

export interface HistoryPoint {
  /** Bucket start, ms since epoch. */
  ts: number;
  min: number;
  avg: number;
  max: number;
}

export interface HistorySeries {
  name: string;
  unit: string;
  label: string;
  /** Buckets without data are absent (a gap), never zero-filled. */
  points: HistoryPoint[];
}

export interface HistoryResult {
  from: number;
  to: number;
  bucketMs: number;
  /** Which table answered: raw samples or a rollup. */
  source: 'raw' | '1m' | '10m' | '1h';
  series: HistorySeries[];
}

export const MAX_HISTORY_BUCKETS = 5000;
export const MAX_HISTORY_SERIES = 32;

export const historyInputSchema = z
  .object({
    series: z.array(z.string().min(1).max(300)).min(1).max(MAX_HISTORY_SERIES),
    /** ms since epoch */
    from: z.number().int().nonnegative(),
    to: z.number().int().nonnegative(),
    buckets: z.number().int().min(1).max(MAX_HISTORY_BUCKETS).optional(),
  })
  .strict();
export type HistoryInput = z.infer<typeof historyInputSchema>;

export const metricsRequests = {
  /** The in-memory ring of recent snapshots (live charts before the first event arrives). */
  'metrics.recent': request(z.object({ seconds: z.number().int().min(1).max(3600).optional() }).strict()).returns<
    MetricsSnapshot[]
  >(),
  /** Every stored series, optionally only those whose name starts with a prefix (e.g. "gpu:"). */
  'metrics.series': request(z.object({ prefix: z.string().max(300).optional() }).strict()).returns<SeriesInfo[]>(),
  /** At most `buckets` (default 1000) points of min / avg / max per series over [from, to). */
  'metrics.history': request(historyInputSchema).returns<HistoryResult>(),
};
export const metricsEvents = {
  'metrics.snapshot': event<MetricsSnapshot>(),
};
