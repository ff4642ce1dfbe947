// Backups of mlenv.db with SQLite's online backup API (better-sqlite3 `db.backup`): a consistent
// copy taken while the app keeps writing. Written to `<name>.partial` (0600) and renamed when
// complete, so a file named *.db in backups/ is always a whole backup.
import { chmodSync, closeSync, existsSync, openSync, readdirSync, renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BackupFile } from '@shared/contract';
import { formatBytes } from '@shared/units';
import type { Db } from './db';

/** The data folder's backups directory (daily backups, "Back up now", `mlenv db backup` without FILE). */
export const BACKUPS_DIR = 'backups';
const DAY = 86_400_000;
const NAME = /^mlenv-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-(\d+))?\.db$/;
/** Pages copied per step when nothing else writes: ~4 MB, a few ms of the event loop. */
const PAGES_PER_STEP = 1024;

/** ISO 8601 basic UTC time to the second, e.g. 20261120T120000Z (no ':' — Windows file names forbid it). */
export function timeStamp(now: number): string {
  return new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** `mlenv-<time>.db`, or `mlenv-<time>-2.db`, … when that name is taken in `dir`. */
export function backupFileName(dir: string, now: number): string {
  const base = `mlenv-${timeStamp(now)}`;
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}.db` : `${base}-${n}.db`;
    if (!existsSync(path.join(dir, name)) && !existsSync(path.join(dir, `${name}.partial`))) return name;
  }
}

/** The backups in `dir` (files named as backupFileName makes them), newest first; [] when there is no such folder. */
export function listBackups(dir: string): BackupFile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
    const file = path.join(dir, name);
    try {
      out.push({ name, path: file, ts: Date.UTC(y!, mo! - 1, d!, h!, mi!, s!), bytes: statSync(file).size });
    } catch {
      // removed between readdir and stat
    }
  }
  return out.sort((a, b) => b.ts - a.ts || b.name.localeCompare(a.name, 'en', { numeric: true }));
}

/**
 * Keeps the newest `keep` backups in `dir` and removes the rest, plus `.partial` files older than a
 * day (a backup cut off by a crash). Returns the names removed.
 */
export function pruneBackups(dir: string, keep: number, now: number): string[] {
  const removed: string[] = [];
  for (const b of listBackups(dir).slice(keep)) {
    rmSync(b.path, { force: true });
    removed.push(b.name);
  }
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (!name.endsWith('.partial')) continue;
    const file = path.join(dir, name);
    if (statSync(file).mtimeMs < now - DAY) {
      rmSync(file, { force: true });
      removed.push(name);
    }
  }
  return removed;
}

export interface BackupOptions {
  /** Aborting stops the copy at its next step and removes the partial file. */
  signal?: AbortSignal;
  /** Told after each step (pages still to copy); for progress display and tests. */
  onProgress?: (p: { totalPages: number; remainingPages: number }) => void;
}

/**
 * Copies the open database `db` into the new file `dest` (mode 0600) with SQLite's online backup
 * API and returns its size in bytes. Writes on `db`'s own connection during the copy are carried into
 * it; a write by another connection (another process) makes SQLite restart the copy, so after one
 * restart the rest is copied in a single step (one read transaction: in WAL mode it does not block
 * writers). Throws one sentence: `dest` exists, its folder is missing, there is not enough free space,
 * SQLite failed, or the signal aborted it; no partial file is left behind.
 */
export async function backupDatabase(db: Db, dest: string, opts: BackupOptions = {}): Promise<{ file: string; bytes: number; ms: number }> {
  const started = Date.now();
  const dir = path.dirname(dest);
  if (existsSync(dest)) throw new Error(`${dest} already exists; choose another file name`);
  if (!existsSync(dir)) throw new Error(`cannot back up to ${dest}: folder ${dir} does not exist`);
  const needed = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  if (free < needed) throw new Error(`not enough free space in ${dir}: the backup needs about ${formatBytes(needed)}, ${formatBytes(free)} is free`);

  const partial = `${dest}.partial`;
  try {
    closeSync(openSync(partial, 'wx', 0o600)); // created 0600 before SQLite writes into it
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot back up to ${dest}: ${(e as Error).message}`);
    throw new Error(`${partial} exists: another backup to ${dest} is running, or one was cut off (then remove that file)`);
  }
  let lastCopied = 0;
  let oneStep = false;
  try {
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        if (opts.signal?.aborted) throw new Error(typeof opts.signal.reason === 'string' ? opts.signal.reason : 'backup cancelled');
        opts.onProgress?.({ totalPages, remainingPages });
        // Pages copied so far only grow, unless another connection wrote and SQLite restarted the copy.
        const copied = totalPages - remainingPages;
        if (lastCopied > 0 && copied <= lastCopied) oneStep = true;
        lastCopied = copied;
        return oneStep ? 0x7fffffff : PAGES_PER_STEP;
      },
    });
    chmodSync(partial, 0o600);
    if (existsSync(dest)) throw new Error(`${dest} appeared while the backup ran; the backup was not kept`);
    renameSync(partial, dest);
  } catch (e) {
    rmSync(partial, { force: true });
    rmSync(`${partial}-journal`, { force: true });
    const message = (e as Error).message;
    throw new Error(message.startsWith('backup cancelled') || message.includes(dest) ? message : `backup to ${dest} failed: ${message}`);
  }
  return { file: dest, bytes: statSync(dest).size, ms: Date.now() - started };
}
