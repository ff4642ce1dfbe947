// `mlenv stats` as a user runs it: the built CLI in a real process, the fixture nvidia-smi first on PATH.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpuSample, HistoryResult, MetricsSnapshot } from '@shared/contract';
import type { HourSummary } from '../core/store/metrics/summary';
import { tmpDataDir } from '../test-support';
import { createMetricsStore, HOUR } from '../core/store/metrics/store';
import { openDatabase } from '../core/store/db';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/main/cli.js');
const PATH = `${path.join(ROOT, 'src-main/core/sampler/fixtures/bin')}:${process.env.PATH}`;
const CPU = { scope: 'host', resource: 'cpu', subject: '', metric: 'cpu_percent', unit: '%', label: 'Host CPU' } as const;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), '--if-needed'], { cwd: ROOT, stdio: 'ignore' });
}, 120_000);

const run = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, PATH }, timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });

describe('mlenv stats', () => {
  it('prints one snapshot: host, every GPU with all its fields, containers', async () => {
    const dir = tmpDataDir();
    const text = await run(['stats', '--data-dir', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Host at /);
    expect(text.stdout).toContain('GPU 0: NVIDIA H100 80GB HBM3  GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1');
    expect(text.stdout).toContain('temperature 67 °C  power 612.34 W of 700.00 W  fan —');
    expect(text.stdout).toContain('throttle GpuIdle');
    const json = await run(['stats', '--json', '--data-dir', dir]);
    const s = JSON.parse(json.stdout) as MetricsSnapshot;
    expect(s.gpus).toHaveLength(2);
    expect(s.gpus![0]!.fanPercent).toBeNull();
    expect(s.host.cpu.cores).toBeGreaterThan(0);
    expect(Array.isArray(s.containers)).toBe(true);
  }, 60_000);

  // The range is given with --until, so the test does not depend on when it runs: its data lies two
  // hours back (far inside the 7-day raw and 90-day rollup horizons, the only things the CLI still
  // takes from the clock), and each run places the range at a chosen offset from a minute boundary,
  // where the per-minute rollup that answers a 1-hour range cuts the samples into buckets.
  it('history: the mean of the samples between --since and --until, whatever the bucket boundaries', async () => {
    const aligned = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    for (const offset of [0, 1000, 17_500, 30_000, 59_999]) {
      const until = aligned + offset;
      const dir = tmpDataDir();
      const db = openDatabase(dir);
      const store = createMetricsStore(db);
      // 600 samples, 10 and 30 in turn, ending a second before `until`: their mean is 20 exactly.
      store.ingestRaw('host::cpu_percent', CPU, Array.from({ length: 600 }, (_, i) => ({ ts: until - 600_000 + i * 1000, value: i % 2 ? 10 : 30 })));
      store.flush();
      db.close();
      const text = await run(['stats', '--since', '1h', '--until', new Date(until).toISOString(), '--data-dir', dir]);
      expect(text.stderr).toBe('');
      expect(text.stdout).toContain(`History ${new Date(until - HOUR).toISOString()} → ${new Date(until).toISOString()} (1m, buckets of 60 s)`);
      expect(text.stdout, `range ending ${offset} ms after a minute`).toMatch(/Host CPU\s+min 10\.0 {2}avg 20\.0 {2}max 30\.0 % {2}\(1[01] points, 600 samples\)/);
      const json = JSON.parse((await run(['stats', '--since', '15m', '--until', new Date(until).toISOString(), '--json', '--buckets', '10', '--data-dir', dir])).stdout) as HistoryResult;
      expect(json).toMatchObject({ from: until - 900_000, to: until });
      const points = json.series[0]!.points;
      expect(json.series[0]!.name).toBe('host::cpu_percent');
      expect(points.length).toBeLessThanOrEqual(10);
      expect(points.reduce((a, p) => a + p.count, 0)).toBe(600);
      expect(points.reduce((a, p) => a + p.avg * p.count, 0) / 600).toBeCloseTo(20, 9);
    }
  }, 120_000);

  it('--hourly: the system snapshots hour by hour (v_system_summary), GPU figures absent where no GPU reported', async () => {
    const dir = tmpDataDir();
    const db = openDatabase(dir);
    const store = createMetricsStore(db);
    const until = Date.UTC(2026, 10, 20, 12);
    const gpu = (util: number) => ({ index: 0, uuid: 'GPU-1', name: 'GPU', utilizationGpu: util, memoryUsedMiB: 1000 }) as GpuSample;
    const snap = (ts: number, cpu: number, gpus: GpuSample[] = []): MetricsSnapshot => ({
      ts,
      host: { cpu: { percent: cpu, perCore: [], cores: 2 }, memory: { total: 100, used: 40, available: 60, percent: 40 }, swap: { total: 0, used: 0 }, load: [1.5, 0, 0] },
      gpus,
      containers: [],
    });
    // 10:00–11:00 three samples without a GPU; 11:00–12:00 two with one; 12:00 is past --until.
    for (const [i, cpu] of [10, 20, 60].entries()) store.ingest(snap(until - 2 * HOUR + i * 1000, cpu));
    store.ingest(snap(until - HOUR, 50, [gpu(80)]));
    store.ingest(snap(until - HOUR + 1000, 50, [gpu(40)]));
    store.ingest(snap(until, 99));
    store.flush();
    db.close();
    const args = ['stats', '--since', '2h', '--until', new Date(until).toISOString(), '--hourly', '--data-dir', dir];
    const json = JSON.parse((await run([...args, '--json'])).stdout) as { hours: HourSummary[] };
    expect(json.hours).toEqual([
      { hour: until - 2 * HOUR, samples: 3, cpuPercentAvg: 30, cpuPercentMax: 60, memoryPercentAvg: 40, memoryPercentMax: 40, load1Avg: 1.5, gpuUtilAvg: null, vramUsedMibAvg: null, containersRunningAvg: 0 },
      { hour: until - HOUR, samples: 2, cpuPercentAvg: 50, cpuPercentMax: 50, memoryPercentAvg: 40, memoryPercentMax: 40, load1Avg: 1.5, gpuUtilAvg: 60, vramUsedMibAvg: 1000, containersRunningAvg: 0 },
    ]);
    const text = await run(args);
    expect(text.stdout.split('\n')[1]).toMatch(/^2026-11-20 10:00 +3 +30\.0 \/ 60\.0 +40\.0 \/ 40\.0 +1\.50 +— +— +0\.0$/);
    const alone = await run(['stats', '--hourly', '--data-dir', dir]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--hourly summarises a --since range');
  }, 60_000);

  it('history: the range ends at the time of the run without --until; a bad duration or time is refused', async () => {
    const dir = tmpDataDir();
    const db = openDatabase(dir);
    const store = createMetricsStore(db);
    store.ingestRaw('host::cpu_percent', CPU, [{ ts: 1_700_000_000_000, value: 1 }]);
    store.flush();
    db.close();
    const before = Date.now();
    const json = JSON.parse((await run(['stats', '--since', '15m', '--json', '--data-dir', dir])).stdout) as HistoryResult;
    const after = Date.now();
    expect(json.to).toBeGreaterThanOrEqual(before);
    expect(json.to).toBeLessThanOrEqual(after);
    expect(json.from).toBe(json.to - 900_000);

    const bad = await run(['stats', '--since', 'yesterday', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since yesterday: use a number and a unit s, m, h or d');
    const badUntil = await run(['stats', '--since', '1h', '--until', 'tomorrow', '--data-dir', dir]);
    expect(badUntil.code).toBe(2);
    expect(badUntil.stderr).toContain('--until tomorrow: use an ISO 8601 time such as 2026-11-20T12:00:00Z');
    const alone = await run(['stats', '--until', '2026-11-20T12:00:00Z', '--data-dir', dir]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--until ends a --since range');
  }, 60_000);
});
