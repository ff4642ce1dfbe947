// Through what a user clicks: launch a busybox container from the Containers page, see it running,
// read its logs, stop it; the launch form refuses a bad value before anything reaches the engine.
import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { expect, test } from '@playwright/test';
import { pushLayeredImage, startRegistry } from '../src-main/test-support/registry-fixture';
import { removeContainer } from './docker';
import { startServe, type Served } from './serve';

const IMAGE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
const NAME = `mlenv-e2e-${process.pid}`;
let served: Served;

test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  removeContainer(NAME);
  await served?.stop();
});

test('launch a container, see it running, read its logs, stop it', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));

  await page.goto(served.url);
  await page.getByRole('link', { name: 'Containers' }).click();
  await expect(page.getByTestId('containers-page')).toBeVisible();
  // A mark on this document: still there at the end, so nothing below reloaded the page.
  await page.evaluate(() => ((globalThis as unknown as { e2eMark?: string }).e2eMark = 'same page'));

  // A bad memory string is refused in the form, with the value and what is accepted.
  await page.getByTestId('launch-image').fill(IMAGE);
  await page.getByTestId('launch-memory').fill('lots');
  await expect(page.getByTestId('launch-memory-error')).toContainText('"lots" is not a size');
  await page.getByTestId('launch-submit').click();
  await expect(page.getByTestId(`container-row-${NAME}`)).toHaveCount(0);

  await page.getByTestId('launch-memory').fill('64m');
  await expect(page.getByTestId('launch-memory-error')).toHaveCount(0);
  await page.getByTestId('launch-name').fill(NAME);
  await page.getByTestId('launch-cpus').fill('500m');
  await page.getByTestId('launch-ports').fill('0:80');
  await page.getByTestId('launch-command').fill(`sh -c 'echo hello from e2e; httpd -f -p 80 -h /www'`);
  await page.getByTestId('launch-submit').click();

  const row = page.getByTestId(`container-row-${NAME}`);
  await expect(row).toHaveAttribute('data-state', 'running');
  await expect(row.getByTestId('container-state')).toHaveText('running');
  const inspect = JSON.parse(execFileSync('docker', ['inspect', NAME]).toString())[0];
  expect(inspect.HostConfig).toMatchObject({ Memory: 64 * 1024 ** 2, NanoCpus: 500_000_000 });
  expect(inspect.Config.Labels['io.mlenv.managed']).toBe('true');
  const hostPort = inspect.NetworkSettings.Ports['80/tcp'][0].HostPort;
  expect(inspect.HostConfig.PortBindings['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '' }]); // "reachable from the network" left off
  await expect(row).toContainText(`${hostPort}→80/tcp`);

  await row.getByRole('link', { name: NAME }).click();
  await expect(page.getByTestId('container-detail')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('port-link').first()).toHaveAttribute('href', `http://127.0.0.1:${hostPort}/`);
  await expect(page.getByTestId('log-lines')).toContainText('hello from e2e');
  await page.getByTestId('logs-search').fill('nothing-like-this');
  await expect(page.getByTestId('log-lines')).toHaveCount(0);
  await page.getByTestId('logs-search').fill('hello');
  await expect(page.getByTestId('log-lines')).toContainText('hello from e2e');
  // Followed live: a line the container prints now reaches this tab (its own follow's logs.lines).
  await page.getByTestId('logs-follow').check();
  await expect(async () => {
    execFileSync('docker', ['exec', NAME, 'sh', '-c', 'echo hello, followed > /proc/1/fd/1']);
    await expect(page.getByTestId('log-lines')).toContainText('hello, followed', { timeout: 1000 });
  }).toPass();

  // Health on the container page follows `health.changed` (the shared store), without a reload.
  await expect(page.getByTestId('detail-health')).toHaveText('healthy');
  await page.getByTestId('action-stop').click();
  await expect(page.getByTestId('container-detail')).toHaveAttribute('data-state', 'exited');
  await expect(page.getByTestId('detail-health')).toHaveText('stopped');
  expect(JSON.parse(execFileSync('docker', ['inspect', NAME]).toString())[0].State.Running).toBe(false);
  // Back on the list (the same page, no reload): the store already holds the stopped row, its stats gone.
  await page.getByRole('link', { name: '← Containers' }).click();
  await expect(row).toHaveAttribute('data-state', 'exited');
  await expect(row.getByTestId('container-health')).toHaveText('stopped');
  expect(await page.evaluate(() => (globalThis as unknown as { e2eMark?: string }).e2eMark)).toBe('same page');

  // The journal has the launch and the stop, done by the user.
  await page.getByRole('link', { name: 'Events' }).click();
  await page.getByTestId('events-container').fill(NAME);
  await expect(page.getByTestId('events-table')).toContainText('container.launch');
  await expect(page.getByTestId('events-table')).toContainText('container.stop');

  expect(problems, 'no console errors (CSP violations included)').toEqual([]);
});

test('removing a running container asks first', async ({ page }) => {
  execFileSync('docker', ['rm', '-f', NAME], { stdio: 'ignore' });
  execFileSync('docker', ['run', '-d', '--init', '--name', NAME, '--label', 'io.mlenv.managed=true', '--label', 'io.mlenv.project=e2e', IMAGE, 'sleep', '300']);
  await page.goto(served.url);
  await page.getByRole('link', { name: 'Containers' }).click();
  const row = page.getByTestId(`container-row-${NAME}`);
  await expect(row).toHaveAttribute('data-state', 'running');
  await row.getByTestId('action-remove').click();
  await expect(row.getByTestId('remove-confirm')).toContainText(`${NAME} is running. Remove it anyway?`);
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toHaveAttribute('data-state', 'running');
  await row.getByTestId('action-remove').click();
  await row.getByTestId('remove-confirm-yes').click();
  await expect(page.getByTestId(`container-row-${NAME}`)).toHaveCount(0);
});

test('pull an image from a registry with progress bars, then remove it', async ({ page }) => {
  test.setTimeout(120_000);
  const docker = new Docker();
  const registry = await startRegistry();
  const ref = `${registry.host}/mlenv-e2e/layers:${process.pid}`;
  try {
    await pushLayeredImage(docker, IMAGE, ref, registry.host, 24, { 'io.mlenv.test': `e2e-${process.pid}` });
    await page.goto(served.url);
    await page.getByRole('link', { name: 'Images' }).click();
    await page.getByTestId('pull-ref').fill('Not An Image');
    await expect(page.getByText('"Not An Image" is not an image reference')).toBeVisible();
    await expect(page.getByTestId('pull-submit')).toBeDisabled();
    await page.getByTestId('pull-ref').fill(ref);
    await page.getByTestId('pull-submit').click();
    const progress = page.getByTestId('pull-progress');
    await expect(progress).toContainText('done');
    await expect(progress.getByTestId('pull-total')).toHaveAttribute('data-value', '100');
    await expect(progress.locator('.layer')).toHaveCount(3); // the base layer (already there) and two new ones
    await expect(page.getByTestId('images-table')).toContainText(ref);
    const row = page.getByTestId('images-table').locator('tr', { hasText: ref });
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByRole('button', { name: 'Remove' }).click(); // confirm
    await expect(page.getByTestId('images-table')).not.toContainText(ref);
  } finally {
    await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
    await registry.stop();
  }
});

test('the launch form asks before binding the Docker socket, and Settings marks a plain-TCP engine insecure', async ({ page }) => {
  const name = `${NAME}-sock`;
  try {
    await page.goto(served.url);
    await page.getByRole('link', { name: 'Containers' }).click();
    await page.getByTestId('launch-image').fill(IMAGE);
    await page.getByTestId('launch-name').fill(name);
    await page.getByTestId('launch-command').fill('sleep 300');
    await page.getByTestId('launch-volumes').fill('/var/run/docker.sock:/var/run/docker.sock');
    const ask = page.getByTestId('launch-dangerous-mounts');
    await expect(ask).toContainText('/var/run/docker.sock:/var/run/docker.sock exposes a container engine’s API socket, which gives the container full control of the engine and so root on the host');
    await page.getByTestId('launch-submit').click();
    await expect(page.getByTestId('launch-volumes-error')).toContainText('allowDangerousMounts');
    await expect(page.getByTestId(`container-row-${name}`)).toHaveCount(0);

    await page.getByTestId('launch-allow-dangerous').check();
    await page.getByTestId('launch-expose-ports').check();
    await page.getByTestId('launch-ports').fill('0:80');
    await page.getByTestId('launch-submit').click();
    await expect(page.getByTestId(`container-row-${name}`)).toHaveAttribute('data-state', 'running');
    const inspect = JSON.parse(execFileSync('docker', ['inspect', name]).toString())[0];
    expect(inspect.HostConfig.Binds).toEqual(['/var/run/docker.sock:/var/run/docker.sock']);
    expect(inspect.HostConfig.PortBindings['80/tcp']).toEqual([{ HostIp: '', HostPort: '' }]);

    await page.getByRole('link', { name: 'Settings' }).click();
    const engines = page.getByTestId('engines-settings');
    await engines.getByRole('combobox').first().selectOption('tcp');
    await expect(engines.getByTestId('engine-plain-tcp-warning')).toContainText('plain TCP, which is insecure');
    await engines.getByLabel('Name').fill(`plain-${process.pid}`);
    await engines.getByLabel('Host').fill('127.0.0.1');
    await engines.getByLabel('Port').fill('1');
    await engines.getByRole('button', { name: 'Add engine' }).click();
    await expect(engines.locator('tr', { hasText: `plain-${process.pid}` }).getByTestId('engine-insecure')).toHaveText('insecure: plain TCP');
    await expect(engines.locator('tr', { hasText: 'Local' }).getByTestId('engine-insecure')).toHaveCount(0);
  } finally {
    removeContainer(name);
  }
});
