// The daily automatic backup and "Back up now": mlenv.db copied into <data folder>/backups/ with the
// online backup API on the app's own connection (the app's writes during the copy are carried into
// it), keeping the newest N (settings.backup). Backups go only there: no caller names a path.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@shared/errors';
import type { BackupFile, BackupSettings, BackupsState } from '@shared/contract';
import type { Bus } from '../bus';
import { every, type Loop } from '../every';
import { BACKUPS_DIR, backupDatabase, backupFileName, listBackups, pruneBackups } from './backup';
import type { Db } from './db';
import type { EventLog } from './events';

const DAY = 86_400_000;
/** After a failed daily backup (a full disk), wait this long before the next try. */
const RETRY_AFTER_FAILURE_MS = 3_600_000;

export interface BackupServiceOptions {
  db: Db;
  dataDir: string;
  bus: Bus;
  events: EventLog;
  settings: () => BackupSettings;
  /** How often start() looks whether the daily backup is due (default 10 min). */
  checkEveryMs?: number;
  /** Delay of the first look after start (default 5 min: let the app settle first). */
  firstCheckMs?: number;
}

export function createBackupService(opts: BackupServiceOptions) {
  const dir = path.join(opts.dataDir, BACKUPS_DIR);
  let abort = new AbortController();
  let running: Promise<BackupFile> | undefined;
  let lastError: BackupsState['lastError'] = null;
  let stopped = false;
  let loop: Loop | undefined;

  /** The backups/ folder, newest first; `now` (ms since epoch) places nextDueAt when none exists yet. */
  function state(now = Date.now()): BackupsState {
    const backups = listBackups(dir);
    const s = opts.settings();
    return { dir, backups, running: running !== undefined, lastError, nextDueAt: s.enabled ? (backups[0] ? backups[0].ts + DAY : now) : null };
  }

  async function run(trigger: 'daily' | 'user', now: number): Promise<BackupFile> {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const name = backupFileName(dir, now);
      const r = await backupDatabase(opts.db, path.join(dir, name), { signal: abort.signal });
      const pruned = pruneBackups(dir, opts.settings().keep, now);
      lastError = null;
      opts.events.record({ type: 'db.backup', ts: now, details: { file: r.file, bytes: r.bytes, ms: r.ms, trigger, pruned } });
      return listBackups(dir).find((b) => b.name === name) ?? { name, path: r.file, ts: Math.floor(now / 1000) * 1000, bytes: r.bytes };
    } catch (e) {
      const message = (e as Error).message;
      lastError = { ts: now, message };
      // A user's "Back up now" gets the error as its answer (journaled as request.failed by the router).
      if (trigger === 'daily' && !stopped) opts.events.record({ type: 'db.backup', ts: now, outcome: 'error', error: message, details: { trigger } });
      throw new AppError('INTERNAL', message);
    }
  }

  /** One backup at a time: a call while one runs gets the same promise. `now` names the file. */
  function backupNow(trigger: 'daily' | 'user', now = Date.now()): Promise<BackupFile> {
    if (stopped) return Promise.reject(new AppError('UNSUPPORTED', 'the app is closing; no backup was taken'));
    if (!running) {
      running = run(trigger, now).finally(() => {
        running = undefined;
        if (!stopped) opts.bus.emit('backups.changed', state());
      });
      opts.bus.emit('backups.changed', state(now));
    }
    return running;
  }

  /**
   * Takes the daily backup when it is on and the newest backup is a day old or more (or none
   * exists); resolves to the new backup, or undefined when none was due or it failed (journaled).
   */
  async function runIfDue(now = Date.now()): Promise<BackupFile | undefined> {
    if (stopped || !opts.settings().enabled) return undefined;
    if (lastError && now - lastError.ts < RETRY_AFTER_FAILURE_MS) return undefined;
    const newest = listBackups(dir)[0];
    if (newest && now - newest.ts < DAY) return undefined;
    return backupNow('daily', now).catch(() => undefined);
  }

  return {
    dir,
    state,
    backupNow,
    runIfDue,
    start() {
      stopped = false;
      abort = new AbortController();
      void loop?.dispose();
      loop = every(opts.checkEveryMs ?? 10 * 60_000, () => runIfDue(), {
        what: 'daily database backup',
        journal: opts.events,
        firstMs: opts.firstCheckMs ?? 5 * 60_000,
      });
    },
    /** Ends the loop and cancels a backup in flight (its partial file removed); resolves once nothing touches the database. */
    async stop(): Promise<void> {
      stopped = true;
      const ending = loop?.dispose();
      loop = undefined;
      abort.abort('backup cancelled: the app is closing');
      await ending;
      await running?.catch(() => undefined);
    },
  };
}
export type BackupService = ReturnType<typeof createBackupService>;
