// Restoring a backup: refused while the app runs, refused (one sentence, current database
// untouched) for a damaged, foreign or newer file; the previous database kept aside.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { OWNER_DIR, readOwner } from '../owner';
import { tmpDataDir } from '../../test-support';
import { killHard, ownerProcess } from '../../test-support/owner-process';
import { backupDatabase } from './backup';
import { DB_FILE, integrityCheck, openDatabase, SCHEMA_VERSION } from './db';
import { createEventLog } from './events';
import { MIGRATIONS } from './migrations';
import { restoreDatabase, RestoreRefused } from './restore';

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A data folder whose mlenv.db holds `n` events of type `type`, closed. */
function dataDirWith(type: string, n: number): string {
  const dir = tmpDataDir();
  const db = openDatabase(dir);
  const events = createEventLog(db);
  for (let i = 0; i < n; i++) events.record({ type, ts: NOW + i });
  db.close();
  return dir;
}
async function backupOf(type: string, n: number): Promise<string> {
  const db = openDatabase(dataDirWith(type, n));
  const file = path.join(tmpDataDir(), 'backup.db');
  await backupDatabase(db, file);
  db.close();
  return file;
}
const types = (dir: string) => {
  const db = openDatabase(dir);
  const out = db.prepare('SELECT type, COUNT(*) AS n FROM events GROUP BY type').all();
  db.close();
  return out;
};

describe('mlenv db restore', () => {
  it('restores a backup and keeps the previous database aside, whole', async () => {
    const file = await backupOf('from.backup', 3);
    const dir = dataDirWith('current', 5);
    const r = restoreDatabase({ dataDir: dir, file, now: NOW });
    expect(r).toEqual({ database: path.join(dir, DB_FILE), keptAs: path.join(dir, `${DB_FILE}.before-restore-20261120T120000Z`), fromVersion: SCHEMA_VERSION, version: SCHEMA_VERSION });
    expect(types(dir)).toEqual([{ type: 'from.backup', n: 3 }]);
    const aside = new Database(r.keptAs!, { readonly: true });
    expect(integrityCheck(aside)).toEqual(['ok']);
    expect(aside.prepare("SELECT COUNT(*) AS n FROM events WHERE type = 'current'").get()).toEqual({ n: 5 });
    aside.close();
    // nothing staged is left behind; a second restore in the same second gets its own name
    expect(readdirSync(dir).filter((f) => f.includes('restoring'))).toEqual([]);
    expect(restoreDatabase({ dataDir: dir, file, now: NOW }).keptAs).toBe(`${r.keptAs}-2`);
  });

  it('refuses while the app runs on the data folder, and goes ahead once it has quit', async () => {
    const file = await backupOf('from.backup', 1);
    const dir = dataDirWith('current', 2);
    const before = digest(path.join(dir, DB_FILE));
    const app = createApp({ dataDir: dir, version: 'test', persistMetrics: false });
    try {
      expect(readOwner(dir)).toMatchObject({ pid: process.pid, transport: 'core' });
      expect(() => restoreDatabase({ dataDir: dir, file, now: NOW })).toThrow(RestoreRefused);
      expect(() => restoreDatabase({ dataDir: dir, file, now: NOW })).toThrow(
        `MLEnv is running on ${dir}: an MLEnv process (pid ${process.pid}) has it open; quit it first, then restore; ${path.join(dir, DB_FILE)} was not changed`,
      );
    } finally {
      await app.dispose();
    }
    expect(digest(path.join(dir, DB_FILE))).toBe(before);
    expect(readOwner(dir)).toBeUndefined();
    expect(restoreDatabase({ dataDir: dir, file, now: NOW }).keptAs).not.toBeNull();
  });

  it('refuses while another process owns the folder, and goes ahead once it was killed (kill -9 leaves no lock)', async () => {
    const file = await backupOf('from.backup', 1);
    const dir = dataDirWith('current', 1);
    const other = await ownerProcess(dir, { transport: 'desktop' });
    if (!('pid' in other)) throw new Error(other.refused);
    expect(() => restoreDatabase({ dataDir: dir, file, now: NOW })).toThrow(
      `MLEnv is running on ${dir}: the desktop app (pid ${other.pid}) has it open; quit it first, then restore; ${path.join(dir, DB_FILE)} was not changed`,
    );
    await killHard(other.proc); // no cleanup of its own: its owner.json stays, the kernel frees its lock
    expect(existsSync(path.join(dir, 'running', 'owner.json'))).toBe(true);
    restoreDatabase({ dataDir: dir, file, now: NOW });
    expect(types(dir)).toEqual([{ type: 'from.backup', n: 1 }]);
  });

  it('refuses a corrupt file with one sentence and leaves the current database untouched', async () => {
    const dir = dataDirWith('current', 4);
    const current = path.join(dir, DB_FILE);
    const before = digest(current);
    const listing = readdirSync(dir).sort();
    const garbage = path.join(tmpDataDir(), 'garbage.db');
    writeFileSync(garbage, 'this is not a database '.repeat(400));
    expect(() => restoreDatabase({ dataDir: dir, file: garbage, now: NOW })).toThrow(
      `${garbage} cannot be restored: it is not a SQLite database (file is not a database); ${current} was not changed`,
    );

    // A real backup with a damaged page: SQLite's integrity check names it.
    const damaged = await backupOf('from.backup', 2000);
    const bytes = readFileSync(damaged);
    const pageSize = bytes.readUInt16BE(16); // the header's page size (offset 16, big-endian)
    bytes.fill(0xa5, pageSize * 3 + 8, pageSize * 3 + 48); // page 4's cell pointers, the file header kept
    writeFileSync(damaged, bytes);
    let message = '';
    try {
      restoreDatabase({ dataDir: dir, file: damaged, now: NOW });
    } catch (e) {
      expect(e).toBeInstanceOf(RestoreRefused);
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`^${damaged.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be restored: it (fails SQLite's integrity check|is damaged) \\(.+\\); ${current.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was not changed$`));
    expect(message.split('\n')).toHaveLength(1);

    expect(digest(current)).toBe(before);
    // nothing left beside the database but the owner lock's folder, which the restore held while it checked
    expect(readdirSync(dir).filter((f) => f !== OWNER_DIR).sort()).toEqual(listing);
    expect(types(dir)).toEqual([{ type: 'current', n: 4 }]);
  });

  it('refuses a file from a newer version, a SQLite file that is not ours, and a missing file', async () => {
    const dir = dataDirWith('current', 1);
    const current = path.join(dir, DB_FILE);
    const newer = path.join(tmpDataDir(), 'newer.db');
    copyFileSync(await backupOf('x', 1), newer);
    const raw = new Database(newer);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => restoreDatabase({ dataDir: dir, file: newer, now: NOW })).toThrow(
      `${newer} cannot be restored: its schema version ${SCHEMA_VERSION + 1} is newer than this app knows (${SCHEMA_VERSION}); update MLEnv Desktop first; ${current} was not changed`,
    );
    const foreign = path.join(tmpDataDir(), 'notes.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE notes (text TEXT)');
    other.close();
    expect(() => restoreDatabase({ dataDir: dir, file: foreign, now: NOW })).toThrow(`${foreign} cannot be restored: it is not an MLEnv database (no schema version or events table); ${current} was not changed`);
    expect(() => restoreDatabase({ dataDir: dir, file: path.join(dir, 'nope.db'), now: NOW })).toThrow(`${path.join(dir, 'nope.db')} does not exist; ${current} was not changed`);
    expect(() => restoreDatabase({ dataDir: dir, file: current, now: NOW })).toThrow('is the current database itself');
    expect(types(dir)).toEqual([{ type: 'current', n: 1 }]);
  });

  it('a backup from an older schema is migrated to this one', async () => {
    // Build a version-4 database the way a previous release did: migrations 1–4 only.
    const old = path.join(tmpDataDir(), 'v4');
    mkdirSync(old);
    const db = new Database(path.join(old, DB_FILE));
    db.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.filter((x) => x.version <= 4)) db.exec(m.sql);
    db.pragma('user_version = 4');
    db.prepare("INSERT INTO events (ts, type) VALUES (?, 'old.event')").run(NOW);
    const file = path.join(tmpDataDir(), 'v4.db');
    await backupDatabase(db, file);
    db.close();
    const dir = dataDirWith('current', 1);
    expect(restoreDatabase({ dataDir: dir, file, now: NOW })).toMatchObject({ fromVersion: 4, version: SCHEMA_VERSION });
    const restored = openDatabase(dir);
    expect(restored.prepare('SELECT type, count, last_ts FROM events').all()).toEqual([{ type: 'old.event', count: 1, last_ts: null }]);
    restored.close();
  });
});
