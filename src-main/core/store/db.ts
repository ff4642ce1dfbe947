import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { log } from '../log';
import { describeModeFixes, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, tightenDataModes } from './data-modes';
import { createEventLog } from './events';
import { MIGRATIONS } from './migrations';
import { registerMigrationFunctions } from './migrations/sql-functions';

export type Db = Database.Database;
export const DB_FILE = 'mlenv.db';

/** Creates the data folder when missing; throws one sentence naming it when it cannot be read and written. */
export function ensureDataFolder(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    accessSync(dataDir, constants.R_OK | constants.W_OK);
  } catch (e) {
    throw new Error(`cannot use data folder ${dataDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * Opens (creating if needed) `<dataDir>/mlenv.db`: WAL, foreign keys on, migrations applied. The
 * folder is created 0700 and the file 0600 (SQLite gives -wal and -shm the file's mode); a folder or
 * file of ours found wider is narrowed (tightenDataModes) and that is journaled as `data.permissions`.
 */
export function openDatabase(dataDir: string, nativeBinding?: string): Db {
  ensureDataFolder(dataDir);
  const file = path.join(dataDir, DB_FILE);
  let db: Db;
  try {
    if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE_MODE)); // an empty file is an empty database
    db = new Database(file, nativeBinding ? { nativeBinding } : {});
    db.pragma('journal_mode = WAL');
  } catch (e) {
    throw new Error(`cannot open database ${file}: ${(e as Error).message}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  journalModeFixes(db, dataDir);
  return db;
}

/** Narrows the data folder's modes (after opening, so -wal and -shm made from a wider file are too) and journals what changed. */
function journalModeFixes(db: Db, dataDir: string): void {
  const fixes = tightenDataModes(dataDir);
  if (!fixes.length) return;
  const failed = fixes.some((f) => f.error);
  const message = describeModeFixes(fixes);
  createEventLog(db).record({ type: 'data.permissions', actor: 'app', outcome: failed ? 'error' : 'ok', error: failed ? message : null, details: { fixes } });
  log.warn(`data folder ${dataDir}: ${message}`);
}

/**
 * `<dataDir>/mlenv.db` for a core that only reads (the read-only CLI commands): opened read-only, so
 * nothing it does can write a row. No file yet: an empty in-memory database of this schema (there is
 * nothing to read). An older schema is migrated first, as any opener would (a schema change, not a row).
 */
export function openDatabaseForReading(dataDir: string, nativeBinding?: string): Db {
  const file = path.join(dataDir, DB_FILE);
  const options = nativeBinding ? { nativeBinding } : {};
  if (!existsSync(file)) return openMemoryDatabase(nativeBinding);
  let db: Db;
  try {
    db = new Database(file, { ...options, readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    if ((db.pragma('user_version', { simple: true }) as number) >= SCHEMA_VERSION) {
      migrate(db); // throws, in words, for a schema newer than this build
      return db;
    }
    db.close();
  } catch (e) {
    throw new Error(`cannot open database ${file}: ${(e as Error).message}`);
  }
  openDatabase(dataDir, nativeBinding).close();
  return openDatabaseForReading(dataDir, nativeBinding);
}

/** An empty database of this schema in memory: whatever is written to it never reaches a file. */
export function openMemoryDatabase(nativeBinding?: string): Db {
  const db = new Database(':memory:', nativeBinding ? { nativeBinding } : {});
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  registerMigrationFunctions(db);
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this app knows (${latest}); update MLEnv Desktop`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** `PRAGMA integrity_check`: 'ok', or the problems SQLite found. */
export function integrityCheck(db: Db): string[] {
  return (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
}

/**
 * Opens an existing database file as it is: no migration, no change of journal mode (for backups,
 * `mlenv db stats` and restore checks). Throws one sentence when there is no file or it cannot be opened.
 */
export function openExistingDatabase(file: string, opts: { readonly?: boolean } = {}): Db {
  if (!existsSync(file)) throw new Error(`there is no database at ${file}`);
  try {
    const db = new Database(file, { fileMustExist: true, readonly: opts.readonly ?? false });
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (e) {
    throw new Error(`cannot open database ${file}: ${(e as Error).message}`);
  }
}

/** The schema version this build knows (the last migration's number). */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
