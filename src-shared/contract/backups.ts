import { z } from 'zod';
import { event, request } from './define';

/** One backup of mlenv.db in the data folder's backups/ directory. */
export interface BackupFile {
  /** File name, e.g. mlenv-20261120T120000Z.db. */
  name: string;
  path: string;
  /** When the backup was taken (from its name), ms since epoch. */
  ts: number;
  bytes: number;
}

/** The backups/ directory as Settings shows it. */
export interface BackupsState {
  dir: string;
  /** Newest first. */
  backups: BackupFile[];
  /** A backup is being written now. */
  running: boolean;
  /** The last backup attempt that failed, if the newest attempt failed. */
  lastError: { ts: number; message: string } | null;
  /** When the daily backup will next run (ms since epoch); null when daily backups are off. */
  nextDueAt: number | null;
}

export const backupsRequests = {
  'backups.list': request(z.object({}).strict()).returns<BackupsState>(),
  /** Backs mlenv.db up now into the data folder's backups/ (never a path from the caller). */
  'db.backup': request(z.object({}).strict()).returns<BackupFile>(),
};
export const backupsEvents = {
  'backups.changed': event<BackupsState>(),
};
