// Online backups of a real mlenv.db while samples are being written, restored and checked; the
// daily backup with `now` passed in; cancelling one in flight.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type BackupSettings } from '@shared/contract';
import { createApp } from '../app';
import { createBus } from '../bus';
import { tmpDataDir } from '../../test-support';
import { backupDatabase, listBackups, timeStamp } from './backup';
import { createBackupService } from './backup-service';
import { DB_FILE, integrityCheck, openDatabase, openExistingDatabase, type Db } from './db';
import { createEventLog } from './events';
import { restoreDatabase } from './restore';

const ROOT = path.resolve(__dirname, '../../..');
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const count = (db: Db, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const posix = process.platform !== 'win32';

/** `n` events of ~4 KB each in transactions of `batch` rows: a database of many backup steps. */
function writeEvents(db: Db, n: number, batch = 500, ts = NOW) {
  const events = createEventLog(db);
  const pad = 'x'.repeat(4000);
  for (let i = 0; i < n; i += batch) {
    db.transaction(() => {
      for (let j = i; j < Math.min(n, i + batch); j++) events.record({ type: 'test.row', details: { j, pad }, ts });
    })();
  }
}

describe('backup while samples are written', () => {
  it('a writer in another process committing batches: the restored backup passes integrity_check and holds every row committed before it began', async () => {
    const BATCH = 2000;
    const dir = tmpDataDir();
    const child = path.join(dir, 'ingest-child.cjs');
    await build({ entryPoints: [path.join(ROOT, 'src-main/core/metrics/fixtures/ingest-child.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, packages: 'external', absWorkingDir: ROOT, logLevel: 'error' });
    const data = path.join(dir, 'data');
    const proc = spawn(process.execPath, [child, data, String(BATCH)], { env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let reported = 0;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise((r) => proc.once('exit', r));
    proc.stdout.on('data', (d: Buffer) => {
      const all = [...d.toString().matchAll(/committed (\d+)/g)];
      if (all.length) reported = Number(all.at(-1)![1]);
    });
    try {
      // A database of some size first, then back it up while the child keeps committing.
      for (;;) {
        if (reported >= 60 * BATCH) break;
        if (proc.exitCode !== null) throw new Error(`writer exited: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const before = reported; // every row counted here is committed
      const source = openExistingDatabase(path.join(data, DB_FILE));
      const file = path.join(dir, 'during-writes.db');
      try {
        await backupDatabase(source, file);
      } finally {
        source.close();
      }
      proc.kill('SIGKILL');
      await exited;

      const restoredDir = path.join(dir, 'restored');
      restoreDatabase({ dataDir: restoredDir, file, now: NOW });
      const db = openDatabase(restoredDir);
      try {
        expect(integrityCheck(db)).toEqual(['ok']);
        const rows = count(db, 'resource_metrics');
        expect(rows).toBeGreaterThanOrEqual(before);
        expect(rows % BATCH).toBe(0); // whole transactions only
        expect((db.prepare('SELECT SUM(count) AS n FROM resource_metrics_1m').get() as { n: number }).n).toBe(rows);
      } finally {
        db.close();
      }
    } finally {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    }
  }, 60_000);

  it('another connection committing between the steps: the copy restarts once, then finishes in one step, consistent', async () => {
    const db = openDatabase(tmpDataDir());
    writeEvents(db, 3000); // ~12 MB: several steps of 1,024 pages
    const before = count(db, 'events');
    const other = openExistingDatabase(db.name); // as another process would write
    const copied: number[] = [];
    const file = path.join(tmpDataDir(), 'b.db');
    await backupDatabase(db, file, {
      onProgress: (p) => {
        copied.push(p.totalPages - p.remainingPages);
        writeEvents(other, 500); // one committed batch per step
      },
    });
    other.close();
    // copied pages went 0, 1024, then back to 1024 (SQLite restarted the copy), then the rest at once
    expect(copied.slice(0, 3)).toEqual([0, 1024, 1024]);
    expect(copied.length).toBe(3);
    const b = openExistingDatabase(file, { readonly: true });
    expect(integrityCheck(b)).toEqual(['ok']);
    const rows = count(b, 'events');
    expect(rows).toBeGreaterThanOrEqual(before);
    expect((rows - before) % 500).toBe(0);
    b.close();
    db.close();
  });

  it('the app writing on its own connection between steps: no restart, and every row written during the copy is in it', async () => {
    const db = openDatabase(tmpDataDir());
    writeEvents(db, 3000);
    let steps = 0;
    const file = path.join(tmpDataDir(), 'b.db');
    await backupDatabase(db, file, {
      onProgress: () => {
        steps++;
        writeEvents(db, 100);
      },
    });
    expect(steps).toBeGreaterThan(3);
    const b = openExistingDatabase(file, { readonly: true });
    expect(integrityCheck(b)).toEqual(['ok']);
    expect(count(b, 'events')).toBe(count(db, 'events'));
    b.close();
    db.close();
  });

  it('creates the file 0600, refuses to overwrite, and leaves nothing behind when cancelled', async () => {
    const db = openDatabase(tmpDataDir());
    writeEvents(db, 3000);
    const dir = tmpDataDir();
    const file = path.join(dir, 'b.db');
    await backupDatabase(db, file);
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(backupDatabase(db, file)).rejects.toThrow(`${file} already exists; choose another file name`);
    await expect(backupDatabase(db, path.join(dir, 'missing', 'b.db'))).rejects.toThrow(`folder ${path.join(dir, 'missing')} does not exist`);

    const abort = new AbortController();
    const cancelled = path.join(dir, 'cancelled.db');
    await expect(backupDatabase(db, cancelled, { signal: abort.signal, onProgress: () => abort.abort('backup cancelled: test') })).rejects.toThrow('backup cancelled: test');
    expect(readdirSync(dir)).toEqual(['b.db']);
    db.close();
  });
});

describe('daily backup', () => {
  const service = (settings: BackupSettings) => {
    const dataDir = tmpDataDir();
    const db = openDatabase(dataDir);
    const events = createEventLog(db);
    const svc = createBackupService({ db, dataDir, bus: createBus(), events, settings: () => settings });
    return { db, dataDir, svc, events };
  };

  it('runs when none is a day old, keeps the newest N, and not at all when turned off', async () => {
    const settings = { enabled: true, keep: 2 };
    const { db, svc, events } = service(settings);
    const first = await svc.runIfDue(NOW);
    expect(first).toMatchObject({ name: `mlenv-${timeStamp(NOW)}.db`, ts: NOW });
    expect(first!.name).toBe('mlenv-20261120T120000Z.db');
    if (posix) {
      expect(statSync(first!.path).mode & 0o777).toBe(0o600);
      expect(statSync(svc.dir).mode & 0o777).toBe(0o700);
    }
    expect(await svc.runIfDue(NOW + HOUR)).toBeUndefined();
    expect(await svc.runIfDue(NOW + DAY - 1)).toBeUndefined();
    expect(svc.state(NOW + HOUR).nextDueAt).toBe(NOW + DAY);
    expect(await svc.runIfDue(NOW + DAY)).toMatchObject({ ts: NOW + DAY });
    expect(await svc.runIfDue(NOW + 2 * DAY + 5 * HOUR)).toMatchObject({ ts: NOW + 2 * DAY + 5 * HOUR });
    expect(listBackups(svc.dir).map((b) => b.ts)).toEqual([NOW + 2 * DAY + 5 * HOUR, NOW + DAY]);

    const copy = openExistingDatabase(listBackups(svc.dir)[0]!.path, { readonly: true });
    expect(integrityCheck(copy)).toEqual(['ok']);
    copy.close();

    settings.enabled = false;
    expect(await svc.runIfDue(NOW + 10 * DAY)).toBeUndefined();
    expect(svc.state(NOW + 10 * DAY).nextDueAt).toBeNull();
    const journaled = events.recent(10).filter((e) => e.type === 'db.backup');
    expect(journaled).toHaveLength(3);
    expect(journaled[0]!.details).toMatchObject({ trigger: 'daily', pruned: ['mlenv-20261120T120000Z.db'] });
    await svc.stop();
    db.close();
  });

  it('stopping with a backup in flight cancels it: no file, and the database closes safely', async () => {
    const { db, svc } = service({ enabled: true, keep: 3 });
    writeEvents(db, 3000);
    const inFlight = svc.backupNow('user', NOW);
    const stopped = svc.stop();
    await expect(inFlight).rejects.toThrow('backup cancelled: the app is closing');
    await stopped;
    db.close();
    expect(readdirSync(svc.dir)).toEqual([]);
    await expect(svc.backupNow('user', NOW)).rejects.toThrow('the app is closing');
  });

  it('"Back up now" through the app: only into backups/, no path accepted from the caller', async () => {
    const dataDir = tmpDataDir();
    const app = createApp({ dataDir, version: 'test', persistMetrics: false });
    try {
      const r = await app.router.dispatch('db.backup', {});
      expect(r).toMatchObject({ ok: true, value: { path: expect.stringContaining(path.join(dataDir, 'backups', 'mlenv-')) } });
      const refused = await app.router.dispatch('db.backup', { file: '/tmp/elsewhere.db' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const list = await app.router.dispatch('backups.list', {});
      expect(list).toMatchObject({ ok: true, value: { dir: path.join(dataDir, 'backups'), running: false, lastError: null } });
      expect((list as { value: { backups: unknown[] } }).value.backups).toHaveLength(1);
      expect(app.settings.get().backup).toEqual(DEFAULT_SETTINGS.backup);
    } finally {
      await app.dispose();
    }
    expect(existsSync(path.join(dataDir, 'running', `${process.pid}.lock`))).toBe(false);
  });
});
