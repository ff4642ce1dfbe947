// The Tiers page through serve mode: four columns with their budgets, and the swap column saying why
// this host cannot swap (or how it does), as the app's own tiers.status reports it.
import { expect, test } from '@playwright/test';
import type { TierStatus } from '../src-shared/contract';
import { startServe, type Served } from './serve';

let served: Served;
test.beforeAll(async () => {
  served = await startServe();
});
test.afterAll(async () => served?.stop());

test('the Tiers page shows hot / warm / swap / cold, and the swap tier as this host supports it', async ({ page, request }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await request.post(`${served.base}/api/call/tiers.status`, { headers: { Authorization: `Bearer ${served.token}` }, data: {} });
  const status = ((await res.json()) as { value: TierStatus }).value;

  await page.goto(served.url);
  await page.getByRole('link', { name: 'Tiers', exact: true }).click();
  for (const tier of ['hot', 'warm', 'swap', 'cold']) await expect(page.getByTestId(`tier-${tier}`)).toBeVisible();
  await expect(page.getByTestId('tier-hot').getByTestId('capacity')).toContainText('of the RAM budget');
  const swap = page.getByTestId('tier-swap');
  if (status.swap.supported) {
    await expect(swap.getByTestId('swap-unsupported')).toHaveCount(0);
    await expect(swap).toContainText(`via ${status.swap.method}`);
  } else {
    await expect(swap.getByTestId('swap-unsupported')).toHaveText(`UNSUPPORTED on this host: ${status.swap.reason}`);
  }
  await expect(page.getByTestId('tier-limits')).toBeVisible();
  await expect(page.getByTestId('tier-jobs')).toBeVisible();
  await expect(page.getByTestId('scaling-events')).toBeVisible();
  expect(problems).toEqual([]);
});
