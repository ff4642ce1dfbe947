// Admission control through what a user sees: the launch form's live preview turns red for a request
// this machine can never hold, the launch is refused with every failed check and what to lower, nothing
// reaches the engine, and the Admission page lists the decision. Figures come from the app's own snapshot.
import { execFileSync } from 'node:child_process';
import { expect, test, type APIRequestContext } from '@playwright/test';
import type { MetricsSnapshot } from '../src-shared/contract';
import { removeContainer } from './docker';
import { startServe, type Served } from './serve';

const IMAGE = process.env.MLENV_TEST_IMAGE ?? 'mlenv-test/busybox:latest';
const NAME = `mlenv-e2e-admission-${process.pid}`;
const GiB = 1024 ** 3;
let served: Served;

test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => {
  removeContainer(NAME);
  await served?.stop();
});

/** One contract request over serve's HTTP API, as a script would send it. */
async function call<T>(request: APIRequestContext, name: string, input: unknown): Promise<T> {
  const res = await request.post(`${served.base}/api/call/${name}`, { headers: { Authorization: `Bearer ${served.token}` }, data: input });
  const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
  return body.value;
}

/** This machine's memory as the app's sampler reads it (waits for its first snapshot). */
async function hostMemory(request: APIRequestContext): Promise<number> {
  let total = 0;
  await expect
    .poll(async () => {
      const snaps = await call<MetricsSnapshot[]>(request, 'metrics.recent', {});
      total = snaps.at(-1)?.host.memory.total ?? 0;
      return total;
    })
    .toBeGreaterThan(0);
  return total;
}

test('a launch asking for more memory than the machine has: red preview, refusal with what to lower, recorded decision', async ({ page, request }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  // Twice this machine's memory, in whole GiB as a person would type it.
  const askGiB = Math.ceil((2 * (await hostMemory(request))) / GiB);

  await page.goto(served.url);
  // The policy's mode is always in the header.
  await expect(page.getByTestId('admission-mode')).toHaveAttribute('data-mode', 'enforce');
  await page.getByRole('link', { name: 'Containers' }).click();
  await page.getByTestId('launch-image').fill(IMAGE);
  await page.getByTestId('launch-name').fill(NAME);
  await page.getByTestId('launch-command').fill('sleep 300');
  await page.getByTestId('launch-memory').fill(`${askGiB}g`);

  // Live preview: red, the memory check failed in its own sentence, and it can never fit here.
  const preview = page.getByTestId('admission-preview');
  await expect(preview).toHaveAttribute('data-tone', 'red');
  const memory = preview.getByTestId('admission-check-memory_percent');
  await expect(memory).toHaveAttribute('data-status', 'fail');
  await expect(memory.getByTestId('admission-check-sentence')).toContainText(`${askGiB} GiB requested`);
  await expect(memory).toContainText('can never fit here');
  await expect(preview.getByTestId('admission-preview-headline')).toHaveText('Would be refused');

  // The preview follows the edit: the same check now counts the smaller request.
  await page.getByTestId('launch-memory').fill('64m');
  await expect(preview.getByTestId('admission-check-memory_percent').getByTestId('admission-check-sentence')).toContainText('64 MiB requested');
  await page.getByTestId('launch-memory').fill(`${askGiB}g`);
  await expect(preview.getByTestId('admission-check-memory_percent').getByTestId('admission-check-sentence')).toContainText(`${askGiB} GiB requested`);

  // Launch anyway: refused before anything reaches the engine, every failed check shown with what to lower.
  await page.getByTestId('launch-submit').click();
  const refusal = page.getByTestId('admission-refusal');
  await expect(refusal).toContainText('Refused by admission control.');
  await expect(refusal.getByTestId('admission-check-memory_percent')).toHaveAttribute('data-status', 'fail');
  await expect(refusal.getByTestId('admission-check-memory_percent').getByTestId('admission-check-remedy')).toContainText(/lower the memory to|this machine has/);
  await expect(refusal.locator('[data-status="pass"]')).toHaveCount(0);
  await expect(page.getByTestId(`container-row-${NAME}`)).toHaveCount(0);
  expect(execFileSync('docker', ['ps', '-a', '--filter', `name=^${NAME}$`, '--format', '{{.Names}}']).toString().trim()).toBe('');

  // The Admission page lists the refused launch (filtered to refusals), with its checks.
  await page.getByRole('link', { name: 'Admission', exact: true }).click();
  await page.getByTestId('decisions-outcome').selectOption('rejected');
  const row = page.getByTestId('decision-row').filter({ hasText: IMAGE });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-outcome', 'rejected');
  await expect(row).toContainText('launch');
  await expect(row).toContainText('user');
  await row.locator('summary').click();
  await expect(row.getByTestId('admission-check-memory_percent')).toContainText(`${askGiB} GiB requested`);
  await page.getByTestId('decisions-outcome').selectOption('admitted');
  await expect(page.getByTestId('decision-row').filter({ hasText: IMAGE })).toHaveCount(0);

  expect(problems).toEqual([]);
});
