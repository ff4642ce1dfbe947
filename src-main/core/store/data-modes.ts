// The data folder holds the database (container specs, the journal), backups and, outside Electron,
// the registry secrets file: on a shared GPU server only its owner may read it. Folders 0700, files
// 0600; a folder or file found wider (made by an older version, a restore, a copy) is narrowed at
// start and the caller journals what changed. POSIX only: Windows ACLs are not modes.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { BACKUPS_DIR } from './backup';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** One folder or file whose mode was narrowed (modes as octal strings, e.g. "0644"), or could not be. */
export interface ModeFix {
  path: string;
  from: string;
  to: string;
  /** Why chmod failed (EPERM: owned by someone else); absent when it worked. */
  error?: string;
}

const octal = (m: number) => `0${(m & 0o777).toString(8).padStart(3, '0')}`;

// What is ours in the data folder: the database and its sidecars (-wal, -shm, -journal), the copies a
// restore leaves (mlenv.db.before-restore-…, mlenv.db.restoring-…), the secrets file and its temp file.
const OURS = (name: string) => name.startsWith('mlenv.db') || name.startsWith('secrets.json');

/**
 * Narrows the data folder to 0700, `backups/` to 0700, and each file of ours in them (OURS, and every
 * regular file in backups/) to 0600, when group or others have any bit. Symlinks and other people's
 * files in the folder (Electron keeps its own there) are left alone. Returns what it changed or failed
 * to change; [] on Windows or when everything was already private.
 */
export function tightenDataModes(dataDir: string, platform = process.platform): ModeFix[] {
  if (platform === 'win32') return [];
  const fixes: ModeFix[] = [];
  const narrow = (p: string, want: number) => {
    let mode: number;
    try {
      const st = lstatSync(p);
      if (st.isSymbolicLink() || !(st.isFile() || st.isDirectory())) return;
      mode = st.mode;
    } catch {
      return; // gone meanwhile
    }
    if ((mode & 0o077) === 0) return;
    try {
      chmodSync(p, want);
      fixes.push({ path: p, from: octal(mode), to: octal(want) });
    } catch (e) {
      fixes.push({ path: p, from: octal(mode), to: octal(want), error: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    }
  };
  const names = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  narrow(dataDir, PRIVATE_DIR_MODE);
  for (const name of names(dataDir)) if (OURS(name)) narrow(path.join(dataDir, name), PRIVATE_FILE_MODE);
  const backups = path.join(dataDir, BACKUPS_DIR);
  narrow(backups, PRIVATE_DIR_MODE);
  for (const name of names(backups)) narrow(path.join(backups, name), PRIVATE_FILE_MODE);
  return fixes;
}

/** One sentence for people and the journal: what was narrowed, and what could not be. */
export function describeModeFixes(fixes: ModeFix[]): string {
  const done = fixes.filter((f) => !f.error);
  const failed = fixes.filter((f) => f.error);
  const list = (fs: ModeFix[]) => fs.map((f) => `${f.path} (${f.from} → ${f.to}${f.error ? `: ${f.error}` : ''})`).join(', ');
  return [
    done.length ? `made readable by its owner only: ${list(done)}` : '',
    failed.length ? `could not narrow, still readable by others: ${list(failed)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
