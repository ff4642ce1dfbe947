import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { startServe, type Served } from './serve';

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => served?.stop());

test('the dashboard shows live host figures and the real Docker engine', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(served.url);
  // The server trades the token for a cookie the page's scripts cannot read, and drops it from the address bar.
  await expect(page).not.toHaveURL(/token=/);
  const cookies = await page.context().cookies(served.base);
  expect(cookies).toMatchObject([{ name: `mlenv-${served.port}`, httpOnly: true, sameSite: 'Strict', path: '/' }]);
  expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');

  const cpu = page.getByTestId('cpu-percent');
  const memory = page.getByTestId('memory-percent');
  await expect(cpu).toHaveText(/^\d+(\.\d)? %$/);
  await expect(memory).toHaveText(/^\d+(\.\d)? %$/);
  await expect(page.getByText(/ of \d+(\.\d)? GiB/)).toBeVisible();

  // The figures are live: a new sample arrives and is drawn.
  const dashboard = page.getByTestId('dashboard');
  const first = Number(await dashboard.getAttribute('data-sample-ts'));
  await expect.poll(async () => Number(await dashboard.getAttribute('data-sample-ts'))).toBeGreaterThan(first);
  await expect(page.locator('.sparkline svg path').first()).toBeVisible();

  // The engine badge shows the dockerd that really runs here, with its version.
  const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}']).toString().trim();
  const badge = page.getByTestId('engine-badge');
  await expect(badge).toHaveAttribute('data-state', 'connected');
  await expect(badge).toHaveText(`Docker ${version} connected`);

  expect(problems, 'no console errors (CSP violations included)').toEqual([]);
});

test('without the token the page says what to do and the API refuses', async ({ page, request }) => {
  await page.goto(served.base + '/');
  await expect(page.getByRole('alert')).toContainText('needs the token');
  expect((await request.post(`${served.base}/api/call/app.info`, { data: {} })).status()).toBe(401);
  expect((await request.get(`${served.base}/healthz`)).status()).toBe(200);
});

test('registry settings warn that serve mode keeps registry secrets in a plain file', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const registry = page.getByTestId('registry-settings');
  await expect(registry.getByTestId('secret-storage-warning')).toContainText('unencrypted in secrets.json');
  await expect(registry.getByTestId('secret-storage-warning')).toHaveAttribute('data-backend', 'file');
  await expect(registry.getByTestId('secret-storage')).toHaveText('Stored in: file (secrets.json, mode 0600)');
});

test('machine alert thresholds: refused in words when inconsistent, applied to the status at once', async ({ page }) => {
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Settings' }).click();
  const form = page.getByTestId('threshold-settings');
  await form.getByLabel('Host memory warning (%)').fill('99');
  await form.getByLabel('Host memory critical (%)').fill('50');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('alert')).toContainText('a warning threshold must be below its critical threshold');

  // Any running machine uses more than 2 % of its memory: the status must turn critical and say why.
  await form.getByLabel('Host memory warning (%)').fill('1');
  await form.getByLabel('Host memory critical (%)').fill('2');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Saved')).toBeVisible();
  const badge = page.getByTestId('status-badge');
  await expect(badge).toHaveText('critical');
  await expect(badge).toHaveAttribute('title', /Memory at \d+ % \(critical at 2 %\)/);

  // Saved in mlenv.db: a reload shows the stored values.
  await page.reload();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('threshold-settings').getByLabel('Host memory critical (%)')).toHaveValue('2');
});
