import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerStats, HistoryResult, SeriesInfo } from '@shared/contract';
import { tmpDataDir, waitFor } from '../../test-support';
import { VERSION } from '../../version';
import { createApp, type App } from '../app';

const BIN = path.resolve(__dirname, '../sampler/fixtures/bin');
const H100 = 'GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1';

describe('metrics through the whole app (fixture nvidia-smi on PATH, real SQLite)', () => {
  let app: App;
  const call = async <T>(name: string, input: unknown) => app.router.dispatch(name, input) as Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
  beforeAll(async () => {
    app = createApp({
      dataDir: tmpDataDir(),
      version: VERSION,
      sampleIntervalMs: 250,
      metricsFlushMs: 300,
      toolEnv: { ...process.env, PATH: `${BIN}:${process.env.PATH}` },
    });
    await app.start();
    // Until three snapshots with both GPUs are in the database (ingested and flushed), however long a
    // loaded machine takes: the tests below read what was recorded, not what a fixed wait happened to catch.
    const withGpus = app.db.prepare('SELECT COUNT(*) AS n FROM system_snapshots WHERE gpu_count = 2');
    await waitFor(() => (withGpus.get() as { n: number }).n >= 3, 20_000, 'three snapshots with two GPUs in system_snapshots');
  });
  afterAll(async () => app?.dispose());

  it('records host and GPU series from real sampling and charts them', async () => {
    const series = await call<SeriesInfo[]>('metrics.series', {});
    expect(series.ok).toBe(true);
    const names = series.ok ? series.value.map((s) => s.name) : [];
    expect(names).toContain('host::cpu_percent');
    expect(names).toContain('host:/:disk_used_percent');
    expect(names).toContain(`gpu:${H100}:utilization_gpu`);
    expect(names).not.toContain(`gpu:${H100}:fan`); // [N/A] is never stored as a value
    expect(app.events.recent(100).filter((e) => e.type.startsWith('gpu.')).map((e) => e.type)).toEqual(['gpu.running']);

    const now = Date.now();
    const r = await call<HistoryResult>('metrics.history', { series: ['host::cpu_percent', `gpu:${H100}:utilization_gpu`], from: now - 60_000, to: now + 1000, buckets: 61 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.source).toBe('raw');
    expect(r.value.series[0]!.points.length).toBeGreaterThan(0);
    const gpu = r.value.series[1]!;
    expect(gpu.unit).toBe('%');
    expect(gpu.points.every((p) => p.min === 97 && p.max === 97)).toBe(true);
    expect(gpu.points.every((p) => p.ts >= now - 60_000)).toBe(true);

    const rows = app.db.prepare('SELECT COUNT(*) AS n, AVG(gpu_util_avg) AS util FROM system_snapshots').get() as { n: number; util: number };
    expect(rows.n).toBeGreaterThan(2);
    expect(rows.util).toBeCloseTo(48.5, 5); // (97 + 0) / 2 GPUs
    const summary = app.db.prepare('SELECT * FROM v_system_summary').all() as { samples: number }[];
    expect(summary.reduce((a, s) => a + s.samples, 0)).toBe(rows.n);
  });

  it('persists container figures from ContainerStats', async () => {
    const id = 'f'.repeat(64);
    const base = app.sampler.latest()!;
    const stats = (ts: number, cpu: number): ContainerStats => ({
      ts, id, name: 'trainer', project: 'demo', cpuPercent: cpu, memoryUsed: 512 * 2 ** 20, memoryLimit: 2 ** 30, memoryPercent: 50,
      netRxBytesPerSec: 100, netTxBytesPerSec: null, blockReadBytesPerSec: 0, blockWriteBytesPerSec: 4096, pids: 3,
    });
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 10_000;
    for (let i = 0; i < 5; i++) app.metrics.store.ingest({ ...base, ts: t0 + i * 1000, containers: [stats(t0 + i * 1000, 10 * i)] });
    app.metrics.flush();
    const r = await call<HistoryResult>('metrics.history', { series: [`container:${id}:cpu_percent`, `container:${id}:block_write`], from: t0, to: t0 + 5000, buckets: 1 });
    expect(r.ok && r.value.series[0]!.points).toEqual([{ ts: t0, min: 0, avg: 20, max: 40, count: 5 }]);
    expect(r.ok && r.value.series[1]!.points[0]!.avg).toBe(4096);
    const info = await call<SeriesInfo[]>('metrics.series', { prefix: `container:${id}` });
    expect(info.ok && info.value.map((s) => s.resource).sort()).toEqual(['cpu', 'disk', 'disk', 'gpu', 'memory', 'memory', 'network']);
  });

  it('answers bad history input with INVALID_INPUT or an empty series, never a crash', async () => {
    const now = Date.now();
    const bad = async (input: unknown) => {
      const r = await call('metrics.history', input);
      expect(r.ok).toBe(false);
      return r.ok ? '' : `${r.error.code}: ${r.error.message}`;
    };
    expect(await bad({ series: ['host::cpu_percent'], from: now, to: now - 1000 })).toMatch(/^INVALID_INPUT: metrics.history: from .* must be before to/);
    expect(await bad({ series: ['host::cpu_percent'], from: now - 1000, to: now, buckets: 0 })).toMatch(/^INVALID_INPUT: .*buckets/);
    expect(await bad({ series: ['host::cpu_percent'], from: now - 1000, to: now, buckets: 10_000_000 })).toMatch(/^INVALID_INPUT: .*buckets/);
    expect(await bad({ series: ['host::nope'], from: now - 1000, to: now })).toMatch(/unknown series "host::nope"/);
    expect(await bad({ series: [], from: now - 1000, to: now })).toMatch(/^INVALID_INPUT: .*series/);
    expect(await bad({ series: ['host::cpu_percent'], from: now - 1000, to: now, where: '1=1' })).toMatch(/^INVALID_INPUT/);
    const old = await call<HistoryResult>('metrics.history', { series: ['host::cpu_percent'], from: now - 500 * 86_400_000, to: now - 400 * 86_400_000 });
    expect(old.ok && old.value.series[0]!.points).toEqual([]);
    const failures = app.events.recent(20).filter((e) => e.type === 'request.failed');
    expect(failures.length).toBeGreaterThanOrEqual(6); // each one journaled
  });

  it('settings: retention and tool paths are validated and applied', async () => {
    const r = await call('settings.update', { patch: { metrics: { rawRetentionDays: 30, rollupRetentionDays: 7 } } });
    expect(!r.ok && r.error.message).toMatch(/rollup retention \(7 d\) must be at least the full-grain retention \(30 d\)/);
    // A configured path is a program the app runs: one that is not the tool is refused (src-main/core/sampler/tool-path.ts).
    const missing = await call('settings.update', { patch: { metrics: { nvidiaSmiPath: '/nonexistent/nvidia-smi' } } });
    expect(!missing.ok && missing.error).toEqual({ code: 'INVALID_INPUT', message: 'the nvidia-smi path "/nonexistent/nvidia-smi" is refused: no such file.' });
    const fixture = path.join(BIN, 'nvidia-smi');
    const ok = await call<{ metrics: { nvidiaSmiPath: string | null } }>('settings.update', { patch: { metrics: { nvidiaSmiPath: fixture } } });
    expect(ok.ok && ok.value.metrics.nvidiaSmiPath).toBe(fixture);
    expect(app.settings.get().metrics.nvidiaSmiPath).toBe(fixture);
  });
});
