// How the app marks a data folder as in use, so `mlenv db restore` can refuse to swap mlenv.db
// under a running app. Electron's single-instance lock covers only the desktop app (and lives in
// Chromium's own files); `mlenv serve` and the one-shot commands open the same database, so every
// createApp writes one small file, <data folder>/running/<pid>.lock, and removes it on dispose.
// A file whose process is gone (a crash, kill -9) is stale and ignored.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RUNNING_DIR = 'running';

export interface RunningInstance {
  pid: number;
  /** ms since epoch. */
  startedAt: number;
  version: string;
  file: string;
}

/** True when a process with this pid exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes `<dataDir>/running/<pid>.lock` (JSON { pid, startedAt, version }); `release()` removes it
 * (idempotent). Throws with the folder named when it cannot be written.
 */
export function acquireInstanceLock(dataDir: string, info: { version: string; pid?: number; startedAt?: number }) {
  const pid = info.pid ?? process.pid;
  const dir = path.join(dataDir, RUNNING_DIR);
  const file = path.join(dir, `${pid}.lock`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, JSON.stringify({ pid, startedAt: info.startedAt ?? Date.now(), version: info.version }) + '\n');
  let held = true;
  return {
    file,
    release(): void {
      if (!held) return;
      held = false;
      rmSync(file, { force: true });
    },
  };
}
export type InstanceLock = ReturnType<typeof acquireInstanceLock>;

/**
 * The live processes that hold a lock on `dataDir`, oldest first. Stale files (process gone,
 * unreadable content) are removed on the way.
 */
export function runningInstances(dataDir: string, alive: (pid: number) => boolean = processAlive): RunningInstance[] {
  const dir = path.join(dataDir, RUNNING_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: RunningInstance[] = [];
  for (const name of names) {
    const m = /^(\d+)\.lock$/.exec(name);
    if (!m) continue;
    const file = path.join(dir, name);
    let lock: { pid?: unknown; startedAt?: unknown; version?: unknown } = {};
    try {
      lock = JSON.parse(readFileSync(file, 'utf8')) as typeof lock;
    } catch {
      // A lock being written right now reads empty: its name still says whose it is.
    }
    const pid = Number(m[1]);
    if (!alive(pid)) {
      rmSync(file, { force: true });
      continue;
    }
    out.push({ pid, startedAt: typeof lock.startedAt === 'number' ? lock.startedAt : 0, version: typeof lock.version === 'string' ? lock.version : '', file });
  }
  return out.sort((a, b) => a.startedAt - b.startedAt);
}
