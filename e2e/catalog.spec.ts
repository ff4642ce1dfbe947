// The catalog as a new user meets it: the first screen, a search for "pytorch", the image page, one
// click on Launch, the pull's progress, and the running container's page with the settings NVIDIA
// recommends. NGC is out of reach on purpose (a closed port here), so the catalog runs from the seed it
// ships; its registry mirror is a registry on 127.0.0.1 serving the test image as nvidia/pytorch:<tag>.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { expect, test, type Page } from '@playwright/test';
import type { LaunchPlan } from '../src-shared/contract';
import { startRegistry } from '../src-main/test-support/registry-fixture';
import { startServe, type Served } from './serve';

const IMAGE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
const REPOSITORY = 'nvidia/pytorch';
const TOKEN = `e2e${process.pid}`;
const docker = new Docker();
let served: Served;
let registry: Awaited<ReturnType<typeof startRegistry>>;
/** What Launch will run, as the app plans it (the tag the seed lists for pytorch, on the mirror). */
let plan: LaunchPlan;

/** One contract request over serve's HTTP API, as a script would send it. */
async function call<T>(name: string, input: unknown): Promise<T> {
  const res = await fetch(`${served.base}/api/call/${name}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${served.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
  return body.value;
}

const followed = (stream: NodeJS.ReadableStream) =>
  new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const e = err ?? out.find((o) => o.error)?.error;
      if (e) reject(e instanceof Error ? e : new Error(e));
      else resolve();
    }),
  );

// The test image has no Jupyter. One-click launch runs `jupyter lab --ip=0.0.0.0 --port=8888 …` for an
// image that ships it, so the image pushed as nvidia/pytorch gets a stand-in that, like jupyter_server,
// prints its link a moment after the start (the page is already shown then) and serves on 8888.
const JUPYTER_STUB = [
  '#!/bin/sh',
  'sleep 3',
  'echo "[I 2026-01-05 10:00:00.000 ServerApp] Jupyter Server 2.14.2 is running at:"',
  `echo "[I 2026-01-05 10:00:00.000 ServerApp] http://127.0.0.1:8888/lab?token=${TOKEN}"`,
  'exec httpd -f -p 8888 -h /www',
].join('\n');

/** Builds the test image with the stand-in and 8 MiB of random data (a pull with something to show), pushes it as `ref`, and removes it here. */
async function pushAsPytorch(ref: string): Promise<void> {
  const c = await docker.createContainer({
    Image: IMAGE,
    Env: [`SCRIPT=${JUPYTER_STUB}`],
    Cmd: ['sh', '-c', 'printf "%s\\n" "$SCRIPT" > /bin/jupyter && chmod 755 /bin/jupyter && head -c 8m /dev/urandom > /e2e-layer.bin'],
    Labels: { 'io.mlenv.test': TOKEN },
  });
  await c.start();
  expect((await c.wait()).StatusCode).toBe(0);
  const { Id } = (await c.commit({})) as { Id: string };
  await c.remove({ force: true });
  const [repo, tag] = [ref.slice(0, ref.lastIndexOf(':')), ref.slice(ref.lastIndexOf(':') + 1)];
  await docker.getImage(Id).tag({ repo, tag });
  await followed((await docker.getImage(ref).push({ authconfig: { serveraddress: registry.host } })) as NodeJS.ReadableStream);
  await docker.getImage(ref).remove({ force: true });
  await docker.getImage(Id).remove({ force: true }).catch(() => undefined);
}

/** The memlock limit this engine grants a container: "-1" (unlimited, as NVIDIA recommends) where it can, else its hard limit in bytes. */
function memlockTheEngineGrants(): string {
  try {
    execFileSync('docker', ['run', '--rm', '--ulimit', 'memlock=-1', IMAGE, 'true'], { stdio: 'pipe' });
    return '-1';
  } catch {
    const kib = execFileSync('docker', ['run', '--rm', IMAGE, 'sh', '-c', 'ulimit -H -l']).toString().trim();
    return String(Number(kib) * 1024);
  }
}
let memlock: string;

const removeLaunched = () => {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=io.mlenv.catalog=${REPOSITORY}`]).toString().split('\n').filter(Boolean);
  if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
};

test.beforeAll(async () => {
  test.setTimeout(120_000);
  registry = await startRegistry();
  served = await startServe();
  // NGC on a port nothing listens on: a refresh fails at once and the catalog says it is offline.
  await call('settings.update', { patch: { catalog: { registryMirror: `http://${registry.host}`, ngcApiUrl: 'http://127.0.0.1:9', requestTimeoutMs: 2000 } } });
  // Admission judges every launch; this machine's own load (other suites running) is not what this test is about: audit, never refuse.
  await call('admission.setPolicy', { patch: { mode: 'audit' } });
  plan = await call<LaunchPlan>('catalog.plan', { repository: REPOSITORY });
  expect(plan.image).toBe(`${registry.host}/${REPOSITORY}:${plan.tag}`);
  await pushAsPytorch(plan.image);
  memlock = memlockTheEngineGrants();
});

test.afterAll(async () => {
  removeLaunched();
  await docker.getImage(plan?.image ?? 'none').remove({ force: true }).catch(() => undefined);
  await served?.stop();
  await registry?.stop();
});

const problemsOf = (page: Page) => {
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
};

test('the first screen shows disks, network, what runs and the catalog’s search box', async ({ page }) => {
  const problems = problemsOf(page);
  await page.goto(served.url);
  const disks = page.getByTestId('disks');
  await expect(disks.getByTestId('disk').first()).toContainText(/\d+(\.\d)? \w?i?B used · \d+(\.\d)? \w?i?B free · \d+ %/);
  // Rates need two samples: the first tick has none.
  await expect(disks.getByTestId('disk-io')).toHaveText(/^read \d+(\.\d)? \w?i?B\/s · write \d+(\.\d)? \w?i?B\/s$/);
  await expect(page.getByTestId('network-total')).toHaveText(/^↓ \d+(\.\d)? \w?i?B\/s ↑ \d+(\.\d)? \w?i?B\/s$/);
  await expect(page.getByTestId('running-strip')).toBeVisible();
  await expect(page.getByTestId('dashboard-catalog-input')).toBeVisible();
  expect(problems).toEqual([]);
});

test('type "pytorch", open the image, Launch: the pull, then the running container with NVIDIA’s settings', async ({ page }) => {
  test.setTimeout(120_000);
  const problems = problemsOf(page);
  await page.goto(served.url);

  // Offline on purpose: Refresh says so, with the date the catalog is from, and the catalog still answers.
  await page.getByRole('link', { name: 'Catalog' }).click();
  await page.getByTestId('catalog-refresh').click();
  await expect(page.getByTestId('catalog-status-text')).toHaveText(/^offline — catalog from \d{4}-\d{2}-\d{2}$/);

  // From the first screen's search box, as a new user would.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByTestId('dashboard-catalog-input').fill('pytorch');
  await page.getByTestId('dashboard-catalog-input').press('Enter');
  await expect(page.getByTestId('catalog-search')).toHaveValue('pytorch');
  const card = page.locator(`[data-testid=catalog-card][data-repository="${REPOSITORY}"]`);
  await expect(page.getByTestId('catalog-card').first()).toHaveAttribute('data-repository', REPOSITORY); // the exact name ranks first
  await expect(card).toContainText('PyTorch');
  await card.getByTestId('catalog-card-link').click();

  // The image page: its tags (this host's architecture marked), and the exact line Launch runs.
  const imagePage = page.getByTestId('catalog-image');
  await expect(imagePage).toHaveAttribute('data-repository', REPOSITORY);
  const row = imagePage.locator(`[data-testid=tag-row][data-tag="${plan.tag}"]`);
  await expect(row.locator('.arch-host')).toHaveText('amd64');
  await expect(row.getByTestId('tag-pulled')).toHaveText('—');
  // The exact line Launch runs: NVIDIA's flags, memlock at what this engine grants (-1 where it can lift
  // the limit, else its dockerd's own hard limit, which the page explains), the image on the mirror on 127.0.0.1.
  const line = imagePage.getByTestId('run-line-text');
  await expect(line).toHaveText(plan.dockerRun);
  expect(plan.image).toMatch(/^127\.0\.0\.1:\d+\/nvidia\/pytorch:/);
  for (const flag of ['--ipc host', `--ulimit memlock=${memlock}`, '--ulimit stack=67108864', plan.image]) await expect(line).toContainText(flag);
  await expect(line).not.toContainText('--gpus'); // no GPU on this host…
  const notes = imagePage.getByTestId('plan-notes');
  await expect(notes).toContainText('GPU'); // …and the page says so
  const memlockNote = notes.locator('li').filter({ hasText: 'locked-memory limit (memlock)' });
  if (memlock === '-1') await expect(memlockNote).toHaveCount(0);
  else {
    test.info().annotations.push({ type: 'memlock', description: `this engine cannot lift memlock: the plan sets memlock=${memlock}` });
    await expect(memlockNote).toBeVisible();
    await expect(memlockNote).toContainText('This Docker engine cannot lift the locked-memory limit (memlock)');
  }
  // Copy puts exactly that line on the clipboard.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.base });
  await imagePage.getByTestId('run-line-copy').click();
  await expect(imagePage.getByTestId('run-line')).toContainText('Copied.');
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(plan.dockerRun);

  // One click on Launch, nothing customised. Every state of the launch's pull bar, as the page drew it
  // (the pull may take less than a second). (A string: it runs in the page, whose DOM types this Node project does not load.)
  await page.evaluate(`(() => {
    const seen = (globalThis.pullSeen = []);
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid=launch-pull]');
      if (bar) seen.push({ done: bar.getAttribute('data-done'), value: bar.querySelector('[data-testid=launch-pull-bar]')?.getAttribute('data-value') ?? null, text: bar.querySelector('small')?.textContent ?? '' });
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
  await imagePage.locator('section').first().getByTestId('catalog-launch').click();
  await expect(page.getByTestId('container-detail')).toBeVisible({ timeout: 60_000 });
  const seen = await page.evaluate(() => (globalThis as unknown as { pullSeen: { done: string | null; value: string | null; text: string }[] }).pullSeen);
  expect(seen.length, 'the pull bar was drawn').toBeGreaterThan(0);
  expect(seen.at(-1)).toEqual({ done: 'true', value: '100', text: `pulled ${plan.image}; starting…` });
  // Every state drawn is the pull of the image from the registry on 127.0.0.1: bytes so far of the total, then done.
  const ref = plan.image.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const s of seen) expect(s.text).toMatch(new RegExp(`^(pulling ${ref}: \\S+ \\S+ of \\S+ \\S+|pulled ${ref}; starting…)$`));

  // Lands on the container's page: running, with NVIDIA's flags, no GPU (this host has none), and Jupyter's link once it prints it.
  const detail = page.getByTestId('container-detail');
  await expect(detail).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(page).toHaveURL(/#\/containers\/[0-9a-f]{64}$/);
  await expect(detail.getByTestId('detail-ipc')).toHaveText('host');
  await expect(detail.getByTestId('detail-ulimits')).toHaveText(`memlock=${memlock} stack=67108864`);
  await expect(detail.getByTestId('detail-gpus')).toContainText('none');
  await expect(detail.getByTestId('detail-no-gpu')).toContainText('this host has no NVIDIA GPU');
  const open = detail.getByTestId('open-jupyter');
  await expect(open).toHaveAttribute('href', new RegExp(`^http://127\\.0\\.0\\.1:\\d+/lab\\?token=${TOKEN}$`));
  const name = (await detail.getByTestId('detail-name').textContent())!;
  const inspect = JSON.parse(execFileSync('docker', ['inspect', name]).toString())[0];
  expect(inspect.HostConfig).toMatchObject({ IpcMode: 'host', Ulimits: [{ Name: 'memlock', Soft: Number(memlock), Hard: Number(memlock) }, { Name: 'stack', Soft: 67108864, Hard: 67108864 }] });
  expect(inspect.HostConfig.DeviceRequests ?? []).toEqual([]);
  expect(inspect.Config.Labels['io.mlenv.catalog']).toBe(REPOSITORY);
  expect(inspect.Config.Image).toBe(plan.image);

  // The pull went through the app with its progress: the Images page still shows it, finished.
  await page.getByRole('link', { name: 'Images' }).click();
  const pull = page.getByTestId('pull-progress').filter({ hasText: plan.image });
  await expect(pull).toContainText('done');
  await expect(pull.getByTestId('pull-total')).toHaveAttribute('data-value', '100');

  // The first screen lists it among what runs; its chip leads back to its page.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByTestId(`running-${name}`).click();
  await expect(detail).toHaveAttribute('data-state', 'running');

  // Removed at the end, as a user would: it runs, so the page asks first.
  await detail.getByTestId('action-remove').click();
  await detail.getByTestId('remove-confirm-yes').click();
  await expect(page.getByTestId('containers-page')).toBeVisible();
  expect(execFileSync('docker', ['ps', '-aq', '--filter', `name=^${name}$`]).toString().trim()).toBe('');

  expect(problems, 'no console errors (CSP violations included)').toEqual([]);
});

test('add an image from a registry on this machine, export the catalog, and a refused import says where the file is wrong', async ({ page }) => {
  const problems = problemsOf(page);
  const ref = `${registry.host}/team/tool:1.0`;
  await docker.getImage(IMAGE).tag({ repo: `${registry.host}/team/tool`, tag: '1.0' });
  await followed((await docker.getImage(ref).push({ authconfig: { serveraddress: registry.host } })) as NodeJS.ReadableStream);
  await docker.getImage(ref).remove();

  await page.goto(served.url);
  await page.getByRole('link', { name: 'Catalog' }).click();
  await page.getByTestId('add-image').click();
  await page.getByTestId('add-image-reference').fill('Not An Image');
  await expect(page.getByTestId('add-image-form')).toContainText('"Not An Image" is not an image reference');
  await expect(page.getByTestId('add-image-submit')).toBeDisabled();
  await page.getByTestId('add-image-reference').fill(ref);
  await page.getByTestId('add-image-displayName').fill('Team tool');
  await page.getByTestId('add-image-description').fill('Our **tool**. <script>alert(1)</script> [docs](javascript:alert(2))');
  await page.getByTestId('add-image-submit').click();

  // Its page: the name, its tag read from the registry, and the description rendered inert.
  const imagePage = page.getByTestId('catalog-image');
  await expect(imagePage.getByTestId('image-name')).toHaveText('Team tool');
  await expect(imagePage.locator('[data-testid=tag-row][data-tag="1.0"]')).toBeVisible();
  const md = imagePage.getByTestId('markdown');
  await expect(md.locator('strong')).toHaveText('tool');
  await expect(md.locator('script, a')).toHaveCount(0);
  await expect(md).toContainText('docs');

  // Export: a JSON file of the whole catalog, this image in it.
  await page.getByRole('link', { name: '← Catalog' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('catalog-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^mlenv-catalog-\d{4}-\d{2}-\d{2}\.json$/);
  const doc = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { format: string; images: { repository: string }[] };
  expect(doc.format).toBe('mlenv-catalog');
  expect(doc.images.map((i) => i.repository)).toEqual(expect.arrayContaining([REPOSITORY, `${registry.host}/team/tool`]));

  // A file of the wrong shape is refused whole, in one sentence naming where.
  const bad = { ...doc, images: [{ ...doc.images[0], repository: 'Not A Repository' }] };
  await page.getByTestId('catalog-import').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('catalog-transfer-outcome')).toHaveAttribute('role', 'alert');
  await expect(page.getByTestId('catalog-transfer-outcome')).toContainText('images[0].repository');
  await page.getByTestId('catalog-search').fill('team tool');
  await expect(page.locator(`[data-testid=catalog-card][data-repository="${registry.host}/team/tool"]`)).toBeVisible();
  expect(problems).toEqual([]);
});
