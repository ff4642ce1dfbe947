// backups.list and db.backup → the backup service (a backup asked for by a caller is a 'user' one).
import type { backupsRequests } from '@shared/contract/backups';
import type { BackupService } from '../core/store/backup-service';
import type { DomainHandlers } from './domain';

export function backupHandlers(s: { backups: BackupService }): DomainHandlers<typeof backupsRequests> {
  return {
    'backups.list': () => s.backups.state(),
    'db.backup': () => s.backups.backupNow('user'),
  };
}
