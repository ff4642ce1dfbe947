import { existsSync } from 'node:fs';
import { CHROMIUM, electronSkipReason } from './environment';

/** Says up front what this run drives; a missing Chromium is an error, never a quiet skip. */
export default function globalSetup(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  if (!existsSync('dist/main/cli.js')) throw new Error('dist/ is missing: run npm run build first');
  const skip = electronSkipReason();
  console.log(skip ? `e2e: Electron spec SKIPPED: ${skip}` : 'e2e: Electron spec will drive the desktop app');
}
