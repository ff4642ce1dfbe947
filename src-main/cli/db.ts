// `mlenv db …`: the database's own maintenance — integrity check, sizes, backup and restore.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { formatBytes } from '@shared/units';
import { defaultDataDir } from '../core/paths';
import { BACKUPS_DIR, backupDatabase, backupFileName } from '../core/store/backup';
import { DB_FILE, integrityCheck, openDatabase, openExistingDatabase } from '../core/store/db';
import { dbStats, type DbStats } from '../core/store/db-stats';
import { restoreDatabase } from '../core/store/restore';
import { VERSION } from '../version';
import { parse, UsageError } from './args';
import { table } from './docker-common';

export const DB_USAGE = [
  'mlenv db check [--data-dir DIR]',
  'mlenv db stats [--json] [--data-dir DIR]',
  'mlenv db backup [FILE] [--data-dir DIR]',
  'mlenv db restore FILE [--data-dir DIR]',
].join('\n  ');

const OPTIONS = { 'data-dir': { type: 'string' }, json: { type: 'boolean' } } as const;
const usage = () => new UsageError(`usage:\n  ${DB_USAGE}`);

const when = (ts: number | null) => (ts === null ? '—' : new Date(ts).toISOString());

/** The table `mlenv db stats` prints. */
export function formatDbStats(s: DbStats): string {
  const head = `${s.file}: ${formatBytes(s.bytes)} (${s.pages.toLocaleString('en')} pages of ${s.pageSize} B, ${s.freePages.toLocaleString('en')} free)` +
    `, write-ahead log ${formatBytes(s.walBytes)}, schema ${s.schemaVersion}\n`;
  const rows = s.tables.map((t) => [t.name, t.rows.toLocaleString('en'), t.bytes === null ? '—' : formatBytes(t.bytes), when(t.oldest), when(t.newest)]);
  const note = s.sizeSource === 'pages' ? 'Sizes per table need SQLite\'s dbstat table, which this build lacks.\n' : '';
  return head + table(['TABLE', 'ROWS', 'SIZE', 'OLDEST', 'NEWEST'], rows) + note;
}

/** `mlenv db check|stats|backup|restore`. */
export async function db(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, OPTIONS);
  const [sub, arg, ...extra] = positionals;
  const dir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
  const dbFile = path.join(dir, DB_FILE);
  if (extra.length) throw usage();

  if (sub === 'check' && !arg) {
    const handle = openDatabase(dir); // opening applies pending migrations
    try {
      const problems = integrityCheck(handle).filter((r) => r !== 'ok');
      if (problems.length) throw new Error(`${dbFile} is damaged:\n${problems.join('\n')}`);
      process.stdout.write(`${dbFile}: ok\n`);
    } finally {
      handle.close();
    }
    return;
  }

  if (sub === 'stats' && !arg) {
    // Read-write only so that closing it removes the -wal/-shm files a read-only open would leave; it only reads.
    const handle = openExistingDatabase(dbFile);
    try {
      const s = dbStats(handle, dbFile);
      process.stdout.write(values.json ? JSON.stringify(s) + '\n' : formatDbStats(s));
    } finally {
      handle.close();
    }
    return;
  }

  if (sub === 'backup') {
    // Safe while the app runs: SQLite's online backup copies a consistent state.
    const handle = openExistingDatabase(dbFile);
    const abort = new AbortController();
    const interrupt = () => abort.abort('backup cancelled (interrupted); no partial file was kept');
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      let dest: string;
      if (arg) dest = path.resolve(arg);
      else {
        const backups = path.join(dir, BACKUPS_DIR);
        mkdirSync(backups, { recursive: true, mode: 0o700 });
        dest = path.join(backups, backupFileName(backups, Date.now()));
      }
      const r = await backupDatabase(handle, dest, { signal: abort.signal });
      process.stdout.write(`backed up ${dbFile} to ${r.file} (${formatBytes(r.bytes)})\n`);
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      handle.close();
    }
    return;
  }

  if (sub === 'restore') {
    if (!arg) throw new UsageError('mlenv db restore FILE: name the backup to restore');
    const r = restoreDatabase({ dataDir: dir, file: arg, now: Date.now(), version: VERSION });
    const migrated = r.fromVersion < r.version ? ` (schema ${r.fromVersion} → ${r.version})` : '';
    process.stdout.write(`restored ${path.resolve(arg)} into ${r.database}${migrated}${r.keptAs ? `; the previous database is kept as ${r.keptAs}` : ''}\n`);
    return;
  }

  throw usage();
}
