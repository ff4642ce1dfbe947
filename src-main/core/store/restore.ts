// `mlenv db restore FILE`: puts a backup in place of mlenv.db. Refused while the app runs on the
// data folder; the file is checked (a copy of it, opened read-only: SQLite's integrity check, an
// MLEnv schema no newer than this build's) before anything of the current database is touched; the
// current database is kept aside as mlenv.db.before-restore-<time>.
import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { acquireOwner, describeOwner, OwnerRefused } from '../owner';
import { timeStamp } from './backup';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './data-modes';
import { DB_FILE, integrityCheck, openDatabase, SCHEMA_VERSION, type Db } from './db';

/** A restore that was not done; the message is one sentence and says the current database is untouched. */
export class RestoreRefused extends Error {}

export interface RestoreResult {
  /** The restored database, `<dataDir>/mlenv.db`. */
  database: string;
  /** Where the previous database now is, or null when there was none. */
  keptAs: string | null;
  /** The backup's schema version before migration, and this build's after. */
  fromVersion: number;
  version: number;
}

const SIDECARS = ['-wal', '-shm', '-journal'];

function removeWithSidecars(file: string) {
  for (const f of [file, ...SIDECARS.map((s) => file + s)]) rmSync(f, { force: true });
}

/** Moves a database and its WAL / journal to a new name (the shared-memory index is rebuilt from them). */
function moveWithSidecars(from: string, to: string) {
  renameSync(from, to);
  for (const s of ['-wal', '-journal']) if (existsSync(from + s)) renameSync(from + s, to + s);
  rmSync(`${from}-shm`, { force: true });
}

const freeName = (base: string) => {
  for (let n = 1; ; n++) if (!existsSync(n === 1 ? base : `${base}-${n}`)) return n === 1 ? base : `${base}-${n}`;
};

/** Why `file` (a copy we own) cannot be restored, or its schema version. */
function inspect(file: string): { problem: string } | { version: number } {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    // One row can hold several lines, headed "*** in database main ***".
    const problems = integrityCheck(db)
      .filter((r) => r !== 'ok')
      .flatMap((r) => r.split('\n'))
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('*** in database'));
    if (problems.length) return { problem: `it fails SQLite's integrity check (${problems[0]}${problems.length > 1 ? `, and ${problems.length - 1} more problems` : ''})` };
    const version = db.pragma('user_version', { simple: true }) as number;
    const events = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'events'").get();
    if (version < 1 || !events) return { problem: 'it is not an MLEnv database (no schema version or events table)' };
    if (version > SCHEMA_VERSION) return { problem: `its schema version ${version} is newer than this app knows (${SCHEMA_VERSION}); update MLEnv Desktop first` };
    return { version };
  } catch (e) {
    const { code, message } = e as { code?: string; message: string };
    if (code === 'SQLITE_NOTADB') return { problem: `it is not a SQLite database (${message})` };
    if (code?.startsWith('SQLITE_CORRUPT')) return { problem: `it is damaged (${message})` };
    return { problem: `it cannot be read as a SQLite database (${message})` };
  } finally {
    db?.close();
  }
}

/**
 * Restores `file` into `<dataDir>/mlenv.db`. `now` (ms since epoch) names the kept-aside file.
 * Throws RestoreRefused (one sentence, nothing changed) while another process owns the data folder
 * (owner.ts: the desktop app, mlenv serve, a CLI command), when the file is missing, damaged, not an
 * MLEnv database or newer than this build; a failure after the swap puts the previous database back
 * and says so. The restore owns the data folder while it runs, so no app can start in the middle of it.
 */
export function restoreDatabase(opts: { dataDir: string; file: string; now: number; version?: string }): RestoreResult {
  const { dataDir } = opts;
  const file = path.resolve(opts.file);
  const current = path.join(dataDir, DB_FILE);
  const unchanged = existsSync(current) ? `; ${current} was not changed` : '';
  if (!existsSync(file)) throw new RestoreRefused(`${file} does not exist${unchanged}`);
  if (existsSync(current) && realpathSync(file) === realpathSync(current)) throw new RestoreRefused(`${file} is the current database itself; restore a backup of it instead`);
  let owner;
  try {
    owner = acquireOwner(dataDir, { transport: 'command', command: 'mlenv db restore', version: opts.version ?? '' });
  } catch (e) {
    if (!(e instanceof OwnerRefused)) throw e;
    throw new RestoreRefused(`MLEnv is running on ${dataDir}: ${describeOwner(e.holder)} has it open; quit it first, then restore${unchanged}`);
  }
  try {
    return restoreOwned(dataDir, file, current, opts.now, unchanged);
  } finally {
    owner.release();
  }
}

function restoreOwned(dataDir: string, file: string, current: string, now: number, unchanged: string): RestoreResult {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const stamp = timeStamp(now);
  // Checked as a copy in the data folder: opening the user's file, even read-only, would leave
  // -wal/-shm files beside it, and the copy is renamed into place at the end (same file system).
  const staged = freeName(path.join(dataDir, `${DB_FILE}.restoring-${stamp}`));
  let fromVersion: number;
  try {
    copyFileSync(file, staged);
    chmodSync(staged, PRIVATE_FILE_MODE); // the copy keeps the source's mode; the database is its owner's alone
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${staged}-wal`); // a raw copy of a live database
    const verdict = inspect(staged);
    if ('problem' in verdict) throw new RestoreRefused(`${file} cannot be restored: ${verdict.problem}${unchanged}`);
    // Folds a copied WAL in; closing the last connection removes the -wal/-shm the read-only check left.
    const fold = new Database(staged);
    fold.pragma('wal_checkpoint(TRUNCATE)');
    fold.close();
    fromVersion = verdict.version;
  } catch (e) {
    removeWithSidecars(staged);
    if (e instanceof RestoreRefused) throw e;
    throw new RestoreRefused(`${file} cannot be restored: ${(e as Error).message}${unchanged}`);
  }

  let keptAs: string | null = null;
  if (existsSync(current)) {
    try {
      // Fold the WAL into the file so the kept copy is one self-contained file when it can be.
      const c = new Database(current, { fileMustExist: true });
      c.pragma('wal_checkpoint(TRUNCATE)');
      c.close();
    } catch {
      // a damaged current database is kept as it is, WAL and all
    }
    keptAs = freeName(`${current}.before-restore-${stamp}`);
    moveWithSidecars(current, keptAs);
  }
  renameSync(staged, current);
  try {
    openDatabase(dataDir).close(); // applies this build's migrations to an older backup
  } catch (e) {
    removeWithSidecars(current);
    if (keptAs) moveWithSidecars(keptAs, current);
    throw new Error(`restoring ${file} failed (${(e as Error).message}); the previous database is back in place`);
  }
  return { database: current, keptAs, fromVersion, version: SCHEMA_VERSION };
}
