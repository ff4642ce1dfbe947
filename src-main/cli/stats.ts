// `mlenv stats`: one current snapshot (host, every GPU with all its fields, managed containers),
// or with --since the recorded history of every series over that range.
import path from 'node:path';
import type { GpuSample, HistoryResult, MetricsSnapshot } from '@shared/contract';
import { formatBytes, formatPercent } from '@shared/units';
import { createApp } from '../core/app';
import { createHistory } from '../core/metrics/history';
import { createMetricsStore } from '../core/metrics/store';
import { defaultDataDir } from '../core/paths';
import { openDatabase } from '../core/store/db';
import { createEventLog } from '../core/store/events';
import { createSettingsStore } from '../core/store/settings';
import { VERSION } from '../version';
import { parse, UsageError } from './args';

export const STATS_USAGE = 'mlenv stats [--json] [--since 15m|1h|7d] [--buckets N] [--data-dir DIR]';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export function parseSince(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new UsageError(`--since ${text}: use a number and a unit s, m, h or d, such as 15m, 1h or 7d`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

const n = (v: number | null, unit = '', digits = 0) => (v === null ? '—' : `${v.toFixed(digits)}${unit}`);

export function formatGpu(g: GpuSample): string {
  const lines = [
    `GPU ${g.index}: ${g.name}  ${g.uuid}${g.busId ? `  bus ${g.busId}` : ''}${g.driverVersion ? `  driver ${g.driverVersion}` : ''}`,
    `  utilisation ${n(g.utilizationGpu, ' %')} (memory controller ${n(g.utilizationMemory, ' %')})`,
    `  VRAM ${n(g.memoryUsedMiB, ' MiB')} used of ${n(g.memoryTotalMiB, ' MiB')} (${n(g.memoryFreeMiB, ' MiB')} free)`,
    `  temperature ${n(g.temperatureC, ' °C')}  power ${n(g.powerDrawW, ' W', 2)} of ${n(g.powerLimitW, ' W', 2)}  fan ${n(g.fanPercent, ' %')}`,
    `  clocks SM ${n(g.smClockMHz, ' MHz')} memory ${n(g.memClockMHz, ' MHz')}  PCIe gen ${n(g.pcieLinkGen)}  uncorrected ECC ${n(g.eccUncorrectedVolatile)}`,
    `  throttle ${g.throttleReasons === null ? '—' : g.throttleReasons.length ? g.throttleReasons.join(', ') : 'none'}`,
  ];
  for (const p of g.processes) lines.push(`  pid ${p.pid} ${p.name ?? '?'} ${n(p.usedMiB, ' MiB')}${p.containerId ? ` container ${p.containerId.slice(0, 12)}` : ''}`);
  return lines.join('\n');
}

export function formatSnapshot(s: MetricsSnapshot): string {
  const h = s.host;
  const out = [
    `Host at ${new Date(s.ts).toISOString()}`,
    `  CPU ${formatPercent(h.cpu.percent)} of ${h.cpu.cores} cores  load ${h.load.map((l) => l.toFixed(2)).join(' ')}${h.cpuTemperatureC != null ? `  ${h.cpuTemperatureC} °C` : ''}`,
    `  memory ${formatBytes(h.memory.used)} of ${formatBytes(h.memory.total)} (${formatPercent(h.memory.percent)})  swap ${formatBytes(h.swap.used)} of ${formatBytes(h.swap.total)}`,
  ];
  if (h.diskIo) out.push(`  disk I/O read ${formatBytes(h.diskIo.readBytesPerSec)}/s write ${formatBytes(h.diskIo.writeBytesPerSec)}/s`);
  for (const d of h.disks ?? []) out.push(`  disk ${d.mount} ${formatBytes(d.used)} of ${formatBytes(d.total)} (${formatPercent(d.percent)})`);
  for (const i of h.network ?? []) out.push(`  net ${i.iface} rx ${formatBytes(i.rxBytesPerSec)}/s tx ${formatBytes(i.txBytesPerSec)}/s`);
  const gpus = s.gpus ?? [];
  if (gpus.length) out.push(...gpus.map(formatGpu));
  else out.push(`No NVIDIA GPU${s.gpuSource?.error ? ` (${s.gpuSource.error})` : ''}`);
  if (s.jetson) out.push(`Jetson: GPU ${n(s.jetson.gpuPercent, ' %')}  RAM ${s.jetson.ramUsedMiB} of ${s.jetson.ramTotalMiB} MiB  board ${n(s.jetson.totalPowerMw, ' mW')}`);
  const cs = s.containers ?? [];
  out.push(cs.length ? `Managed containers (${cs.length} running):` : 'No managed containers running');
  for (const c of cs) out.push(`  ${c.name}  CPU ${formatPercent(c.cpuPercent)}  memory ${formatBytes(c.memoryUsed)}${c.memoryLimit ? ` of ${formatBytes(c.memoryLimit)}` : ''}`);
  return out.join('\n') + '\n';
}

export function formatHistory(r: HistoryResult): string {
  const out = [`History ${new Date(r.from).toISOString()} → ${new Date(r.to).toISOString()} (${r.source}, buckets of ${r.bucketMs / 1000} s)`];
  for (const s of r.series) {
    if (!s.points.length) {
      out.push(`  ${s.label.padEnd(44)} no data`);
      continue;
    }
    const min = Math.min(...s.points.map((p) => p.min));
    const max = Math.max(...s.points.map((p) => p.max));
    const avg = s.points.reduce((a, p) => a + p.avg, 0) / s.points.length;
    out.push(`  ${s.label.padEnd(44)} min ${min.toFixed(1)}  avg ${avg.toFixed(1)}  max ${max.toFixed(1)} ${s.unit}  (${s.points.length} points)`);
  }
  return out.join('\n') + '\n';
}

export async function stats(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    json: { type: 'boolean', default: false },
    since: { type: 'string' },
    buckets: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  if (values.since !== undefined) {
    const span = parseSince(values.since);
    const buckets = values.buckets === undefined ? 60 : Number(values.buckets);
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 5000) throw new UsageError(`--buckets ${values.buckets}: use a whole number from 1 to 5000`);
    const db = openDatabase(dataDir);
    try {
      const settings = createSettingsStore(db, createEventLog(db)).get();
      const series = createMetricsStore(db).series().map((s) => s.name);
      const to = Date.now();
      if (!series.length) {
        process.stdout.write(values.json ? JSON.stringify({ from: to - span, to, series: [] }) + '\n' : `No metrics recorded yet in ${dataDir}\n`);
        return;
      }
      const history = createHistory(db);
      // One request per 32 series, as metrics.history takes them.
      const parts: HistoryResult[] = [];
      for (let i = 0; i < series.length; i += 32) parts.push(history.query({ series: series.slice(i, i + 32), from: to - span, to, buckets }, settings.metrics, to));
      const result: HistoryResult = { ...parts[0]!, series: parts.flatMap((p) => p.series) };
      process.stdout.write(values.json ? JSON.stringify(result) + '\n' : formatHistory(result));
    } finally {
      db.close();
    }
    return;
  }

  const app = createApp({ dataDir, version: VERSION, persistMetrics: false });
  try {
    await app.start();
    // Two ticks: CPU % needs a delta, GPU probing and container stats streams need a moment.
    await new Promise((r) => setTimeout(r, 2200));
    const snapshot = app.sampler.latest() ?? (await app.sampler.tick());
    if (!snapshot) throw new Error('no sample could be taken');
    process.stdout.write(values.json ? JSON.stringify(snapshot) + '\n' : formatSnapshot(snapshot));
  } finally {
    await app.dispose();
  }
}
