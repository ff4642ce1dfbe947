// The desktop app itself, through Playwright's Electron driver. It needs the Electron binary
// (downloaded by `npm ci` on a machine with internet) and a display; where either is missing it
// skips and says why, plainly.
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ELECTRON, electronSkipReason } from './environment';

const why = electronSkipReason();

test.describe('Electron desktop app', () => {
  test.skip(!!why, `SKIPPED: ${why}`);
  test('opens a hardened window with the live dashboard', async () => {
    const userData = mkdtempSync(path.join(os.tmpdir(), 'mlenv-electron-'));
    const app = await electron.launch({ executablePath: ELECTRON, args: ['.', `--user-data-dir=${userData}`] });
    try {
      const page = await app.firstWindow();
      // Served from the app's own origin, not file://.
      expect(page.url()).toMatch(/^app:\/\/mlenv\/index\.html/);
      await expect(page.getByTestId('cpu-percent')).toHaveText(/\d+(\.\d)? %/);
      await expect(page.getByTestId('engine-badge')).toHaveAttribute('data-state', /connected|unreachable/);
      // The renderer is untrusted: no Node in the page, only the bridge's two functions.
      expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
      expect(await page.evaluate(() => Object.keys((globalThis as unknown as { mlenv: object }).mlenv).sort())).toEqual(['call', 'subscribe']);
      // Closing the window keeps the app in the tray.
      await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
