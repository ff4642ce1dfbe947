// An exclusive lock on a file held for as long as this process wants it: an empty SQLite database kept
// in an open `BEGIN EXCLUSIVE` transaction. That is the operating system's own file lock (POSIX fcntl
// on Linux and macOS, LockFileEx on Windows; Node has no flock), so exactly one process gets it however
// many try at once, and the kernel frees it when the process dies (kill -9 included). Here because it
// is SQLite (the only module that opens SQLite files is core/store); owner.ts decides what it guards.
import Database from 'better-sqlite3';

/** The lock is held by another process. */
export class LockHeld extends Error {}

export interface FileLock {
  /** Gives the lock up (idempotent). */
  release(): void;
}

/**
 * Takes the lock on `file` (created when missing) at once or not at all: throws LockHeld while
 * another process holds it, and one sentence naming the file when it cannot be locked otherwise.
 * Keep the returned object referenced while holding: the lock's database handle is closed, and the
 * lock given up, when it is garbage-collected. `sqliteBinding`: better-sqlite3's native module path (Electron).
 */
export function holdExclusiveLock(file: string, opts: { sqliteBinding?: string } = {}): FileLock {
  // timeout 0: a held lock is an answer, not something to wait for.
  const lockDb = new Database(file, { timeout: 0, ...(opts.sqliteBinding ? { nativeBinding: opts.sqliteBinding } : {}) });
  try {
    lockDb.pragma('journal_mode = MEMORY'); // no -journal file beside the lock
    lockDb.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    lockDb.close();
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new LockHeld(`${file} is locked by another process`);
    throw new Error(`cannot lock ${file}: ${(e as Error).message}`);
  }
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      lockDb.close(); // ends the transaction: the lock is free
    },
  };
}
