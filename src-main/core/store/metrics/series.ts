// One snapshot → the figures we store, one per series. Nulls are skipped (a gap), never stored as 0.
import type { MetricsSnapshot, SeriesInfo } from '@shared/contract';
import { THROTTLE_BITS } from '@shared/throttle';

export type SeriesMeta = Omit<SeriesInfo, 'name' | 'firstTs' | 'lastTs'>;
export interface Figure {
  name: string;
  meta: SeriesMeta;
  value: number;
}

export const seriesName = (scope: string, subject: string, metric: string) => `${scope}:${subject}:${metric}`;

/** Throttle reasons as one number (GpuIdle left out: an idle GPU is not throttled). */
export function throttleMask(reasons: string[] | null): number | null {
  if (!reasons) return null;
  return THROTTLE_BITS.filter(([bit, name]) => bit !== 0x1 && reasons.includes(name)).reduce((a, [bit]) => a | bit, 0);
}

export function figuresOf(s: MetricsSnapshot): Figure[] {
  const out: Figure[] = [];
  const add = (scope: SeriesMeta['scope'], resource: SeriesMeta['resource'], subject: string, metric: string, unit: string, label: string, value: number | null | undefined) => {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    out.push({ name: seriesName(scope, subject, metric), meta: { scope, resource, subject, metric, unit, label }, value });
  };
  const h = s.host;
  add('host', 'cpu', '', 'cpu_percent', '%', 'Host CPU', h.cpu.percent);
  add('host', 'cpu', '', 'load1', '', 'Load average (1 min)', h.load[0]);
  add('host', 'cpu', '', 'cpu_temperature', '°C', 'CPU temperature', h.cpuTemperatureC);
  add('host', 'memory', '', 'memory_percent', '%', 'Host memory', h.memory.percent);
  add('host', 'memory', '', 'memory_used', 'B', 'Host memory used', h.memory.used);
  add('host', 'memory', '', 'swap_used', 'B', 'Swap used', h.swap.used);
  add('host', 'disk', '', 'disk_read', 'B/s', 'Disk read', h.diskIo?.readBytesPerSec);
  add('host', 'disk', '', 'disk_write', 'B/s', 'Disk write', h.diskIo?.writeBytesPerSec);
  for (const d of h.disks ?? []) add('host', 'disk', d.mount, 'disk_used_percent', '%', `Disk ${d.mount} used`, d.percent);
  for (const n of h.network ?? []) {
    add('host', 'network', n.iface, 'net_rx', 'B/s', `${n.iface} received`, n.rxBytesPerSec);
    add('host', 'network', n.iface, 'net_tx', 'B/s', `${n.iface} sent`, n.txBytesPerSec);
  }
  for (const g of s.gpus ?? []) {
    const who = `GPU ${g.index} (${g.name})`;
    add('gpu', 'gpu', g.uuid, 'utilization_gpu', '%', `${who} utilisation`, g.utilizationGpu);
    add('gpu', 'gpu', g.uuid, 'utilization_memory', '%', `${who} memory-controller utilisation`, g.utilizationMemory);
    add('gpu', 'gpu', g.uuid, 'memory_used', 'MiB', `${who} VRAM used`, g.memoryUsedMiB);
    add('gpu', 'gpu', g.uuid, 'memory_total', 'MiB', `${who} VRAM total`, g.memoryTotalMiB);
    add('gpu', 'gpu', g.uuid, 'temperature', '°C', `${who} temperature`, g.temperatureC);
    add('gpu', 'gpu', g.uuid, 'power_draw', 'W', `${who} power`, g.powerDrawW);
    add('gpu', 'gpu', g.uuid, 'power_limit', 'W', `${who} power limit`, g.powerLimitW);
    add('gpu', 'gpu', g.uuid, 'sm_clock', 'MHz', `${who} SM clock`, g.smClockMHz);
    add('gpu', 'gpu', g.uuid, 'mem_clock', 'MHz', `${who} memory clock`, g.memClockMHz);
    add('gpu', 'gpu', g.uuid, 'fan', '%', `${who} fan`, g.fanPercent);
    add('gpu', 'gpu', g.uuid, 'ecc_uncorrected', '', `${who} uncorrected ECC errors`, g.eccUncorrectedVolatile);
    add('gpu', 'gpu', g.uuid, 'throttle_mask', 'mask', `${who} throttle reasons`, throttleMask(g.throttleReasons));
  }
  const gpuMemByContainer = new Map<string, number>();
  // Known only when every GPU nvidia-smi reports has a process list (--query-compute-apps answered).
  const appsKnown = (s.gpus ?? []).every((g) => g.processes !== null || !g.uuid);
  for (const g of s.gpus ?? []) {
    for (const p of g.processes ?? []) {
      if (p.containerId && p.usedMiB !== null) gpuMemByContainer.set(p.containerId, (gpuMemByContainer.get(p.containerId) ?? 0) + p.usedMiB);
    }
  }
  for (const c of s.containers ?? []) {
    const who = `Container ${c.name}`;
    add('container', 'cpu', c.id, 'cpu_percent', '%', `${who} CPU`, c.cpuPercent);
    add('container', 'memory', c.id, 'memory_used', 'B', `${who} memory`, c.memoryUsed);
    add('container', 'memory', c.id, 'memory_percent', '%', `${who} memory %`, c.memoryPercent);
    add('container', 'network', c.id, 'net_rx', 'B/s', `${who} received`, c.netRxBytesPerSec);
    add('container', 'network', c.id, 'net_tx', 'B/s', `${who} sent`, c.netTxBytesPerSec);
    add('container', 'disk', c.id, 'block_read', 'B/s', `${who} disk read`, c.blockReadBytesPerSec);
    add('container', 'disk', c.id, 'block_write', 'B/s', `${who} disk write`, c.blockWriteBytesPerSec);
    add('container', 'gpu', c.id, 'gpu_memory_used', 'MiB', `${who} VRAM`, gpuMemByContainer.get(c.id) ?? (s.gpus?.length && appsKnown ? 0 : null)); // with GPUs present and their processes known, none used is a real 0
  }
  const j = s.jetson;
  if (j) {
    add('jetson', 'gpu', '', 'gpu_percent', '%', 'Jetson GPU (GR3D)', j.gpuPercent);
    add('jetson', 'memory', '', 'ram_used', 'MiB', 'Jetson RAM used', j.ramUsedMiB);
    add('jetson', 'gpu', '', 'power_total', 'mW', 'Jetson board power', j.totalPowerMw);
    const hottest = Object.values(j.temperaturesC);
    add('jetson', 'cpu', '', 'temperature_max', '°C', 'Jetson hottest sensor', hottest.length ? Math.max(...hottest) : null);
  }
  return out;
}
