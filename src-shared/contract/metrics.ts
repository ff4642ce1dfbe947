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
  /**
   * percent: the whole machine, over the CPUs online for the whole interval. perCore: indexed by the
   * N of `cpuN` in /proc/stat (never by position), null for a CPU offline (absent) in the interval.
   * cores: the machine's CPU count (/sys/devices/system/cpu/present), online or not.
   */
  cpu: { percent: number; perCore: (number | null)[]; cores: number };
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
  /**
   * Set when nvidia-smi reports this GPU broken; then every figure above is null (a broken GPU is
   * neither idle nor empty) and only the identity (index, uuid, name, busId, driverVersion) is kept.
   */
  fault: GpuFault | null;
  /**
   * Processes using this GPU, with our container where the PID belongs to one; null when unknown:
   * `--query-compute-apps` failed (processesError says why) or has not answered yet (processesError null).
   */
  processes: GpuProcess[] | null;
  processesError: string | null;
}

/**
 * A GPU that nvidia-smi reports broken, in nvidia-smi's own words. `fault`: its row carries an NVML error
 * instead of values (`[GPU requires reset]`, `[Unknown Error]`…). `lost`: nvidia-smi can no longer reach it:
 * `[GPU is lost]`, or a round of output without its row (then the message is nvidia-smi's line about it,
 * e.g. "Unable to determine the device handle for GPU1: 0000:34:00.0: Unknown Error"). A GPU nvidia-smi
 * names in such a line without ever having reported it has uuid "" and, when only its bus id is known, index -1.
 */
export interface GpuFault {
  kind: 'fault' | 'lost';
  message: string;
}

export interface GpuProcess {
  pid: number;
  name: string | null;
  usedMiB: number | null;
  containerId: string | null;
}

/** One tegrastats power rail, in mW: current, and the average and peak where tegrastats prints them. */
export interface JetsonRail {
  mW: number;
  avgmW: number | null;
  peakmW: number | null;
}

/** One engine (EMC, GR3D, VIC, NVENC…): percent busy and clock in MHz where printed; `off` when tegrastats says so. */
export interface JetsonEngine {
  off: boolean;
  percent: number | null;
  mhz: number | null;
}

/**
 * How `totalPowerMw` was found: the module's input rail (VIN, VDD_IN or POM_5V_IN) where tegrastats
 * shows one, else the sum of every rail it shows (AGX Xavier, AGX Orin: their SYS5V / VIN_SYS_5V0
 * are partial rails); null when it shows no rail.
 */
export type JetsonTotalPowerSource = 'input-rail' | 'sum-of-rails';

/** A Jetson board from tegrastats. Anything the line does not print is null (GPU % on Thor), never 0. */
export interface JetsonSample {
  ramUsedMiB: number;
  ramTotalMiB: number;
  swapUsedMiB: number | null;
  swapTotalMiB: number | null;
  /** Per core, in tegrastats order: percent busy, or null when the core is off. */
  cpu: { percent: number | null; mhz: number | null }[];
  emcPercent: number | null;
  gpuPercent: number | null;
  /** GR3D clock; with per-GPC clocks (`@[1300,1300]`) the highest. */
  gpuMHz: number | null;
  /** By tegrastats' engine name without `_FREQ` (EMC, GR3D, VIC, NVENC, NVDLA0, APE…). */
  engines: Record<string, JetsonEngine>;
  /** °C by sensor name as printed (case kept); sensors reading -256 (off) are left out. */
  temperaturesC: Record<string, number>;
  rails: Record<string, JetsonRail>;
  /** Total board power in mW; see totalPowerSource for what it is. */
  totalPowerMw: number | null;
  totalPowerSource: JetsonTotalPowerSource | null;
  /** The input rail's name when totalPowerSource is 'input-rail', else null. */
  totalPowerRail: string | null;
}

/** Where GPU figures come from right now. */
export interface GpuSourceStatus {
  tool: 'nvidia-smi' | 'tegrastats' | 'none';
  /**
   * running: rows are arriving (a tool that prints only errors is not running). restarting: it died and
   * is retried with backoff, one outage however many retries fail. absent: no such tool or driver here.
   */
  state: 'running' | 'restarting' | 'absent';
  /**
   * Why it is absent or restarting, in the tool's or the OS's words: the last line it printed that is not
   * a row, on stdout or stderr (nvidia-smi prints its errors on stdout), else how it exited.
   */
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
  /** The mean of the bucket's samples. */
  avg: number;
  max: number;
  /** How many samples the bucket holds: the weight of its `avg` when buckets are averaged together. */
  count: number;
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
  /** At most `buckets` (default 1000) points of min / avg / max / count per series over [from, to). */
  'metrics.history': request(historyInputSchema).returns<HistoryResult>(),
};
export const metricsEvents = {
  'metrics.snapshot': event<MetricsSnapshot>(),
};
