// `mlenv stats`: one current snapshot (host, every GPU with all its fields, managed containers) — the
// running app's latest when it answers, else sampled here by a core that writes nothing — or with
// --since (and --until) the recorded history of every series over that range, read from mlenv.db.
import type { GpuSample, HistoryResult, JetsonSample, MetricsSnapshot } from '@shared/contract';
import { formatJetsonCores, formatTotalPower } from '@shared/jetson';
import { formatBytes, formatPercent } from '@shared/units';
import type { App } from '../core/app';
import { createMetricsRepository } from '../core/store/metrics';
import type { HourSummary } from '../core/store/metrics/summary';
import { openDatabaseForReading } from '../core/store/db';
import { createEventLog, discardingJournal } from '../core/store/events';
import { createSettingsStore } from '../core/store/settings';
import { createSettingsRepository } from '../core/store/settings-repository';
import { parse, UsageError } from './args';
import { resolveDataDir, withCore, type CliCore } from './core';

export const STATS_USAGE = 'mlenv stats [--json] [--since 15m|1h|7d [--until TIME] [--hourly]] [--buckets N] [--data-dir DIR]';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export function parseSince(text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw new UsageError(`--since ${text}: use a number and a unit s, m, h or d, such as 15m, 1h or 7d`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

// ECMAScript's date-time string format (ISO 8601): a date, or a date and a time with an optional Z or offset.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;
/**
 * The end of a --since range, ms since epoch, from an ISO 8601 time such as 2026-11-20T12:00:00Z.
 * As in ECMAScript, a date alone is midnight UTC and a date-time without Z or an offset is local time.
 */
export function parseUntil(text: string): number {
  const m = ISO_TIME.exec(text.trim());
  const ms = m ? Date.parse(m[0]) : NaN;
  // Date.parse rolls 2026-02-30 over to March; a day past the month's end is a typo, not a date.
  const realDay = m && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDate() === Number(m[3]);
  if (!realDay || !Number.isFinite(ms)) throw new UsageError(`--until ${text}: use an ISO 8601 time such as 2026-11-20T12:00:00Z or 2026-11-20T13:00+01:00`);
  return ms;
}

const n = (v: number | null, unit = '', digits = 0) => (v === null ? '—' : `${v.toFixed(digits)}${unit}`);

/** One line per process; one line saying why when the list is unknown (nvidia-smi's words, or not read yet). */
const processLines = (g: GpuSample): string[] =>
  g.processes === null
    ? [`  processes unknown${g.processesError ? `: ${g.processesError}` : ' (not read yet)'}`]
    : g.processes.map((p) => `  pid ${p.pid} ${p.name ?? '?'} ${n(p.usedMiB, ' MiB')}${p.containerId ? ` container ${p.containerId.slice(0, 12)}` : ''}`);

export function formatGpu(g: GpuSample): string {
  const head = `GPU ${g.index >= 0 ? g.index : '?'}: ${g.name}${g.uuid ? `  ${g.uuid}` : ''}${g.busId ? `  bus ${g.busId}` : ''}${g.driverVersion ? `  driver ${g.driverVersion}` : ''}`;
  if (g.fault) {
    // A broken GPU's figures are unknown, not zero: its state is nvidia-smi's words.
    return [head, `  ${g.fault.kind === 'lost' ? 'LOST' : 'FAULT'}: ${g.fault.message}`, ...processLines(g)].join('\n');
  }
  const lines = [
    head,
    `  utilisation ${n(g.utilizationGpu, ' %')} (memory controller ${n(g.utilizationMemory, ' %')})`,
    `  VRAM ${n(g.memoryUsedMiB, ' MiB')} used of ${n(g.memoryTotalMiB, ' MiB')} (${n(g.memoryFreeMiB, ' MiB')} free)`,
    `  temperature ${n(g.temperatureC, ' °C')}  power ${n(g.powerDrawW, ' W', 2)} of ${n(g.powerLimitW, ' W', 2)}  fan ${n(g.fanPercent, ' %')}`,
    `  clocks SM ${n(g.smClockMHz, ' MHz')} memory ${n(g.memClockMHz, ' MHz')}  PCIe gen ${n(g.pcieLinkGen)}  uncorrected ECC ${n(g.eccUncorrectedVolatile)}`,
    `  throttle ${g.throttleReasons === null ? '—' : g.throttleReasons.length ? g.throttleReasons.join(', ') : 'none'}`,
  ];
  return [...lines, ...processLines(g)].join('\n');
}

/** The Jetson line: GPU % ("—" where tegrastats prints none), RAM, cores ("off" where off), board power and what it is. */
export function formatJetson(j: JetsonSample): string {
  const cores = j.cpu.length ? `  cores ${formatJetsonCores(j.cpu).join(' ')}` : '';
  return `Jetson: GPU ${n(j.gpuPercent, ' %')}  RAM ${j.ramUsedMiB} of ${j.ramTotalMiB} MiB${cores}  board ${formatTotalPower(j)}`;
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
  if (s.jetson) out.push(formatJetson(s.jetson));
  const cs = s.containers ?? [];
  out.push(cs.length ? `Managed containers (${cs.length} running):` : 'No managed containers running');
  for (const c of cs) out.push(`  ${c.name}  CPU ${formatPercent(c.cpuPercent)}  memory ${formatBytes(c.memoryUsed)}${c.memoryLimit ? ` of ${formatBytes(c.memoryLimit)}` : ''}`);
  return out.join('\n') + '\n';
}

/**
 * The history of each series as one line: min, mean and max over the whole range and how many samples
 * it holds. The mean weights each bucket by its sample count, so it is the mean of the samples however
 * the bucket boundaries split them.
 */
export function formatHistory(r: HistoryResult): string {
  const out = [`History ${new Date(r.from).toISOString()} → ${new Date(r.to).toISOString()} (${r.source}, buckets of ${r.bucketMs / 1000} s)`];
  for (const s of r.series) {
    if (!s.points.length) {
      out.push(`  ${s.label.padEnd(44)} no data`);
      continue;
    }
    const min = Math.min(...s.points.map((p) => p.min));
    const max = Math.max(...s.points.map((p) => p.max));
    const samples = s.points.reduce((a, p) => a + p.count, 0);
    const avg = s.points.reduce((a, p) => a + p.avg * p.count, 0) / samples;
    out.push(`  ${s.label.padEnd(44)} min ${min.toFixed(1)}  avg ${avg.toFixed(1)}  max ${max.toFixed(1)} ${s.unit}  (${s.points.length} points, ${samples} samples)`);
  }
  return out.join('\n') + '\n';
}

/** How long `mlenv stats` waits, at most, for every source to answer once (a slow driver probe). */
const SETTLE_MS = 15_000;

/** The source has answered: GPUs reported, or the reason there are none (not the initial "not started"). */
const gpuAnswered = (s: MetricsSnapshot) =>
  s.gpuSource?.tool === 'none' || (s.gpus?.length ?? 0) > 0 || (s.gpuSource?.state !== 'running' && s.gpuSource?.error !== 'not started');

/**
 * The first snapshot in which every source has answered once — CPU % needs a second tick for its delta,
 * GPU probing takes a few nvidia-smi runs — or the latest one after `ms`; waits on what happened, not a fixed time.
 */
async function settledHere(sampler: App['sampler'], ms: number): Promise<MetricsSnapshot | undefined> {
  const first = sampler.latest()?.ts ?? 0;
  const end = Date.now() + ms;
  for (;;) {
    const s = sampler.latest();
    if (s && s.ts > first && s.containers !== undefined && gpuAnswered(s)) return s;
    if (Date.now() > end) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const one = (v: number | null, unit = '') => (v === null ? '—' : `${v.toFixed(1)}${unit}`);

/** The hourly system summary as a table, one line an hour (UTC), oldest first. */
export function formatHours(hours: HourSummary[]): string {
  if (!hours.length) return 'No system snapshots in this range\n';
  const out = ['hour (UTC)         samples  CPU avg/max %   memory avg/max %  load1  GPU util %  VRAM MiB  containers'];
  for (const h of hours) {
    out.push(
      [
        new Date(h.hour).toISOString().slice(0, 16).replace('T', ' '),
        String(h.samples).padStart(8),
        `${one(h.cpuPercentAvg)} / ${one(h.cpuPercentMax)}`.padStart(14),
        `${one(h.memoryPercentAvg)} / ${one(h.memoryPercentMax)}`.padStart(17),
        h.load1Avg.toFixed(2).padStart(6),
        one(h.gpuUtilAvg).padStart(11),
        (h.vramUsedMibAvg === null ? '—' : h.vramUsedMibAvg.toFixed(0)).padStart(9),
        one(h.containersRunningAvg).padStart(11),
      ].join(' '),
    );
  }
  return out.join('\n') + '\n';
}

export async function stats(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    json: { type: 'boolean', default: false },
    since: { type: 'string' },
    until: { type: 'string' },
    buckets: { type: 'string' },
    hourly: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
  });
  const dataDir = resolveDataDir(values['data-dir']);
  if (values.until !== undefined && values.since === undefined) throw new UsageError('--until ends a --since range: give both, such as --since 1h --until 2026-11-20T12:00:00Z');
  if (values.hourly && values.since === undefined) throw new UsageError('--hourly summarises a --since range: give both, such as --since 24h --hourly');
  if (values.since !== undefined) {
    const span = parseSince(values.since);
    const until = values.until === undefined ? undefined : parseUntil(values.until);
    const buckets = values.buckets === undefined ? 60 : Number(values.buckets);
    if (!Number.isInteger(buckets) || buckets < 1 || buckets > 5000) throw new UsageError(`--buckets ${values.buckets}: use a whole number from 1 to 5000`);
    const db = openDatabaseForReading(dataDir); // a reader: nothing it does writes a row
    try {
      const settings = createSettingsStore(createSettingsRepository(db), discardingJournal(createEventLog(db))).get();
      const metrics = createMetricsRepository(db);
      const series = metrics.writer.series().map((s) => s.name);
      // `now` places the retention horizons; the range ends there unless --until says otherwise.
      const now = Date.now();
      const to = until ?? now;
      if (values.hourly) {
        const hours = metrics.summary.hours(to - span, to);
        process.stdout.write(values.json ? JSON.stringify({ from: to - span, to, hours }) + '\n' : formatHours(hours));
        return;
      }
      if (!series.length) {
        process.stdout.write(values.json ? JSON.stringify({ from: to - span, to, series: [] }) + '\n' : `No metrics recorded yet in ${dataDir}\n`);
        return;
      }
      const { history } = metrics;
      // One request per 32 series, as metrics.history takes them.
      const parts: HistoryResult[] = [];
      for (let i = 0; i < series.length; i += 32) parts.push(history.query({ series: series.slice(i, i + 32), from: to - span, to, buckets }, settings.metrics, now));
      const result: HistoryResult = { ...parts[0]!, series: parts.flatMap((p) => p.series) };
      process.stdout.write(values.json ? JSON.stringify(result) + '\n' : formatHistory(result));
    } finally {
      db.close();
    }
    return;
  }

  await withCore(dataDir, { command: 'mlenv stats', readOnly: true }, async (core) => {
    const snapshot = core.app ? await sampledHere(core.app) : await latestOfApp(core);
    if (!snapshot) throw new Error('no sample could be taken');
    process.stdout.write(values.json ? JSON.stringify(snapshot) + '\n' : formatSnapshot(snapshot));
  });
}

/** Samples with this process's own core (read-only: it writes no metrics and journals nothing). */
async function sampledHere(app: App): Promise<MetricsSnapshot | undefined> {
  await app.start();
  return (await settledHere(app.sampler, SETTLE_MS)) ?? (await app.sampler.tick());
}

/** The running app's newest snapshot; one that has just started may need a moment for its first. */
async function latestOfApp(core: CliCore): Promise<MetricsSnapshot | undefined> {
  const end = Date.now() + SETTLE_MS;
  for (;;) {
    const last = (await core.call('metrics.recent', { seconds: 10 })).at(-1);
    if ((last && last.containers !== undefined && gpuAnswered(last)) || Date.now() > end) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
}
