// `mlenv stats` as a user runs it: the built CLI in a real process, the fixture nvidia-smi first on PATH.
import { execFile, execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResult, MetricsSnapshot } from '@shared/contract';
import { tmpDataDir } from '../test-support';
import { createMetricsStore } from '../core/metrics/store';
import { openDatabase } from '../core/store/db';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/main/cli.js');
const PATH = `${path.join(ROOT, 'src-main/core/sampler/fixtures/bin')}:${process.env.PATH}`;

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

  it('prints the history of every series with --since, and refuses a bad duration', async () => {
    const dir = tmpDataDir();
    const db = openDatabase(dir);
    const store = createMetricsStore(db);
    const now = Date.now();
    const meta = { scope: 'host', resource: 'cpu', subject: '', metric: 'cpu_percent', unit: '%', label: 'Host CPU' } as const;
    store.ingestRaw('host::cpu_percent', meta, Array.from({ length: 600 }, (_, i) => ({ ts: now - 600_000 + i * 1000, value: i % 2 ? 10 : 30 })));
    store.flush();
    db.close();
    const text = await run(['stats', '--since', '1h', '--data-dir', dir]);
    expect(text.stdout).toMatch(/Host CPU\s+min 10\.0 {2}avg 20\.0 {2}max 30\.0 %/);
    const json = JSON.parse((await run(['stats', '--since', '15m', '--json', '--buckets', '10', '--data-dir', dir])).stdout) as HistoryResult;
    expect(json.series[0]!.name).toBe('host::cpu_percent');
    expect(json.series[0]!.points.length).toBeLessThanOrEqual(10);
    const bad = await run(['stats', '--since', 'yesterday', '--data-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since yesterday: use a number and a unit s, m, h or d');
  }, 60_000);
});
