import Database from 'better-sqlite3';
import { mkdirSync, accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;
export const DB_FILE = 'mlenv.db';

/** Opens (creating if needed) `<dataDir>/mlenv.db`: WAL, foreign keys on, migrations applied. */
export function openDatabase(dataDir: string, nativeBinding?: string): Db {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.R_OK | constants.W_OK);
  } catch (e) {
    throw new Error(`cannot use data folder ${dataDir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const file = path.join(dataDir, DB_FILE);
  let db: Db;
  try {
    db = new Database(file, nativeBinding ? { nativeBinding } : {});
    db.pragma('journal_mode = WAL');
  } catch (e) {
    throw new Error(`cannot open database ${file}: ${(e as Error).message}`);
  }
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
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
