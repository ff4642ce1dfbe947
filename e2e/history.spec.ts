import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServe, type Served } from './serve';

// The fixture nvidia-smi and tegrastats first on PATH: the app finds them as it would the real tools.
const BIN = path.resolve('src-main/core/sampler/fixtures/bin');
let served: Served;
test.beforeAll(async () => {
  served = await startServe([], { PATH: `${BIN}:${process.env.PATH}` });
});
test.afterAll(async () => served?.stop());

const problemsOf = (page: import('@playwright/test').Page) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
};

test('the dashboard shows live GPU cards from nvidia-smi', async ({ page }) => {
  const problems = problemsOf(page);
  await page.goto(served.url);
  const cards = page.getByTestId('gpu-card');
  await expect(cards).toHaveCount(2);
  await expect(cards.first()).toContainText('GPU 0 · NVIDIA H100 80GB HBM3');
  await expect(cards.first().getByTestId('gpu-util')).toHaveText('97 %');
  await expect(cards.nth(1).getByTestId('gpu-vram')).toHaveText('1.0 MiB of 79.6 GiB (0 %)');
  await expect(page.getByTestId('jetson-card')).toContainText('4673 mW');
  expect(problems).toEqual([]);
});

test('the History page charts the last 15 minutes of this run and switches ranges', async ({ page }) => {
  test.setTimeout(120_000); // a dozen charts on a loaded 2-core CI runner
  const problems = problemsOf(page);
  await page.goto(served.url);
  await page.getByRole('link', { name: 'History' }).click();
  const history = page.getByTestId('history');
  await expect(history).toHaveAttribute('data-range', '15m');
  const cpu = page.getByTestId('chart-host::cpu_percent');
  await expect(cpu).toBeVisible();
  // Real samples of this run, at full grain, drawn as a line.
  await expect.poll(async () => Number(await cpu.getAttribute('data-points'))).toBeGreaterThan(1);
  await expect(history).toHaveAttribute('data-source', 'raw');
  await expect(cpu.locator('.recharts-line path').first()).toBeVisible();
  await expect(page.getByTestId('gpu-history-panel')).toHaveCount(2);
  await expect(page.getByTestId('gpu-history-panel').first()).toContainText('VRAM used');

  await page.getByTestId('range-7d').click();
  await expect(history).toHaveAttribute('data-range', '7d');
  await expect(history).toHaveAttribute('data-source', '10m'); // seven days come from the 10-minute rollup
  await expect.poll(async () => Number(await cpu.getAttribute('data-points'))).toBeGreaterThan(0);

  await page.getByTestId('range-1h').click();
  await expect(history).toHaveAttribute('data-source', 'raw');
  await expect(cpu.locator('.recharts-line path').first()).toBeVisible();

  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = readFileSync((await file.path())!, 'utf8');
  expect(csv.split('\n')[0]).toBe('series,unit,ts_iso,ts_ms,min,avg,max,count');
  expect(csv).toContain('"host::cpu_percent","%"');
  // Each bucket carries its sample count, the weight to average buckets together with.
  const cpuRows = csv.split('\n').filter((l) => l.startsWith('"host::cpu_percent"'));
  expect(cpuRows.length).toBeGreaterThan(0);
  expect(cpuRows.every((l) => /,[1-9]\d*$/.test(l))).toBe(true);
  expect(problems).toEqual([]);
});

test('GET /metrics needs the token and returns Prometheus text', async ({ request }) => {
  expect((await request.get(`${served.base}/metrics`)).status()).toBe(401);
  const res = await request.get(`${served.base}/metrics`, { headers: { Authorization: `Bearer ${served.token}` } });
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  expect(text).toContain('# TYPE mlenv_host_cpu_percent gauge');
  expect(text).toMatch(/^mlenv_gpu_utilization_percent\{gpu="0",uuid="GPU-3a1f9e02-4c11-4b8a-9e2d-7f6b1c0a55e1",name="NVIDIA H100 80GB HBM3"\} 97$/m);
  expect(text).toMatch(/^mlenv_gpu_throttle_reason\{.*gpu="1".*reason="GpuIdle"\} 1$/m);
  expect(text).not.toMatch(/mlenv_gpu_fan/); // [N/A] fans are absent, not 0
});

test('metrics settings: a wrong retention is refused in words, a tool path is applied', async ({ page }) => {
  const problems = problemsOf(page);
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const form = page.getByTestId('metrics-settings');
  await form.getByLabel('Keep full-grain samples (days)').fill('30');
  await form.getByLabel('Keep per-minute and per-hour rollups (days)').fill('7');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('rollup retention (7 d) must be at least the full-grain retention (30 d)');

  await form.getByLabel('Keep full-grain samples (days)').fill('7');
  await form.getByLabel('Keep per-minute and per-hour rollups (days)').fill('90');
  // A path that names no executable is refused in words, before anything runs.
  await form.getByLabel('nvidia-smi path').fill('/nonexistent/nvidia-smi');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('the nvidia-smi path "/nonexistent/nvidia-smi" is refused: no such file');
  // A real one is applied at once: this fixture replays a single A100 where PATH's replays two H100s.
  await form.getByLabel('nvidia-smi path').fill(path.resolve('src-main/core/sampler/fixtures/bin-a100/nvidia-smi'));
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Saved')).toBeVisible();
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByTestId('gpu-card')).toHaveCount(1);
  await expect(page.getByTestId('gpu-card')).toContainText('NVIDIA A100-SXM4-40GB');
  expect(problems.filter((p) => !/status of 400/.test(p))).toEqual([]);
});
