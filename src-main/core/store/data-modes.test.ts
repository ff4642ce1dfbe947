// The data folder and the database files are their owner's alone (0700 / 0600): a fresh folder is made
// so, and one left wider by an older version (0755 folder, 0644 mlenv.db — readable by every user of
// a shared GPU server) is narrowed at start and the narrowing journaled.
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { DB_FILE, openDatabase } from './db';
import { createEventLog } from './events';
import { describeModeFixes, tightenDataModes } from './data-modes';

const mode = (p: string) => statSync(p).mode & 0o777;

describe.skipIf(process.platform === 'win32')('data folder and database file modes', () => {
  it('creates the folder 0700 and mlenv.db, -wal and -shm 0600, journaling nothing', () => {
    const dir = path.join(tmpDataDir(), 'nested', 'MLEnv Desktop');
    const db = openDatabase(dir);
    createEventLog(db).record({ type: 'test.write' }); // a write, so the WAL has frames
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) expect(mode(path.join(dir, f)), f).toBe(0o600);
    expect(db.prepare("SELECT count(*) AS n FROM events WHERE type = 'data.permissions'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('narrows a wider folder, database, secrets file and backups at start, and journals each change', () => {
    const dir = tmpDataDir();
    openDatabase(dir).close();
    const backups = path.join(dir, 'backups');
    mkdirSync(backups);
    writeFileSync(path.join(backups, 'mlenv-20261120T120000Z.db'), 'x');
    writeFileSync(path.join(dir, 'secrets.json'), '{}');
    writeFileSync(path.join(dir, `${DB_FILE}.before-restore-20261120T120000Z`), 'x');
    writeFileSync(path.join(dir, 'Preferences'), '{}'); // Electron's, not ours: left as it is
    symlinkSync(path.join(dir, 'Preferences'), path.join(dir, 'mlenv.db.link')); // never followed
    chmodSync(dir, 0o755);
    chmodSync(backups, 0o775);
    for (const f of [DB_FILE, 'secrets.json', `${DB_FILE}.before-restore-20261120T120000Z`, 'Preferences']) chmodSync(path.join(dir, f), 0o644);
    chmodSync(path.join(backups, 'mlenv-20261120T120000Z.db'), 0o664);

    const db = openDatabase(dir);
    expect(mode(dir)).toBe(0o700);
    expect(mode(backups)).toBe(0o700);
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, 'secrets.json', `${DB_FILE}.before-restore-20261120T120000Z`]) expect(mode(path.join(dir, f)), f).toBe(0o600);
    expect(mode(path.join(backups, 'mlenv-20261120T120000Z.db'))).toBe(0o600);
    expect(mode(path.join(dir, 'Preferences'))).toBe(0o644);

    const rows = db.prepare("SELECT actor, outcome, error, details FROM events WHERE type = 'data.permissions'").all() as { actor: string; outcome: string; error: string | null; details: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'app', outcome: 'ok', error: null });
    const fixes = (JSON.parse(rows[0]!.details) as { fixes: { path: string; from: string; to: string }[] }).fixes;
    expect(fixes).toEqual(
      expect.arrayContaining([
        { path: dir, from: '0755', to: '0700' },
        { path: path.join(dir, DB_FILE), from: '0644', to: '0600' },
        { path: path.join(dir, 'secrets.json'), from: '0644', to: '0600' },
        { path: backups, from: '0775', to: '0700' },
        { path: path.join(backups, 'mlenv-20261120T120000Z.db'), from: '0664', to: '0600' },
      ]),
    );
    expect(fixes.map((f) => f.path)).not.toContain(path.join(dir, 'Preferences'));
    db.close();
    // Once narrowed, a later start has nothing to do and journals nothing more.
    expect(tightenDataModes(dir)).toEqual([]);
  });

  it('leaves 0600 / 0400 files and does nothing on Windows', () => {
    const dir = tmpDataDir();
    writeFileSync(path.join(dir, DB_FILE), '');
    chmodSync(path.join(dir, DB_FILE), 0o400);
    chmodSync(dir, 0o750);
    expect(tightenDataModes(dir, 'win32')).toEqual([]);
    expect(tightenDataModes(dir)).toEqual([{ path: dir, from: '0750', to: '0700' }]);
    expect(mode(path.join(dir, DB_FILE))).toBe(0o400);
  });

  it('says in one sentence what it narrowed and what it could not', () => {
    expect(
      describeModeFixes([
        { path: '/d', from: '0755', to: '0700' },
        { path: '/d/mlenv.db', from: '0644', to: '0600', error: 'EPERM' },
      ]),
    ).toBe('made readable by its owner only: /d (0755 → 0700); could not narrow, still readable by others: /d/mlenv.db (0644 → 0600: EPERM)');
  });
});
