// One-click launch's repository: the `launch_prefs` table (the overrides remembered per catalog
// repository, as the launch form sent them) and `launch_recent` (the newest launch of each repository
// launched from the catalog; the tray lists the most recent ones).
import { launchOverridesSchema, type LaunchOverrides, type RecentLaunch } from '@shared/contract';
import type { Db } from './db';

export function createLaunchPrefsRepository(db: Db) {
  const getPrefs = db.prepare('SELECT overrides FROM launch_prefs WHERE repository = ?');
  const putPrefs = db.prepare(
    `INSERT INTO launch_prefs (repository, overrides, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (repository) DO UPDATE SET overrides = excluded.overrides, updated_at = excluded.updated_at`,
  );
  const delPrefs = db.prepare('DELETE FROM launch_prefs WHERE repository = ?');
  const putRecent = db.prepare(
    `INSERT INTO launch_recent (repository, tag, display_name, engine, container_id, container_name, launched_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (repository) DO UPDATE SET tag = excluded.tag, display_name = excluded.display_name, engine = excluded.engine,
       container_id = excluded.container_id, container_name = excluded.container_name, launched_at = excluded.launched_at`,
  );
  const recent = db.prepare(
    `SELECT repository, tag, display_name AS displayName, engine, container_id AS containerId, container_name AS containerName, launched_at AS launchedAt
     FROM launch_recent ORDER BY launched_at DESC, repository LIMIT ?`,
  );

  return {
    /**
     * The overrides remembered for `repository`, or undefined. A row this version can no longer read
     * (a field whose rule changed) counts as none: the launch then uses the defaults.
     */
    prefs(repository: string): LaunchOverrides | undefined {
      const row = getPrefs.get(repository) as { overrides: string } | undefined;
      if (!row) return undefined;
      try {
        const r = launchOverridesSchema.safeParse(JSON.parse(row.overrides));
        return r.success ? r.data : undefined;
      } catch {
        return undefined;
      }
    },
    /** Remembers `overrides` for `repository` (replacing what was there); `at` ms since epoch. The caller leaves secrets out. */
    savePrefs(repository: string, overrides: LaunchOverrides, at: number): void {
      putPrefs.run(repository, JSON.stringify(overrides), at);
    },
    /** Forgets the overrides of `repository`; true when there were some. */
    removePrefs: (repository: string): boolean => delPrefs.run(repository).changes > 0,
    /** Records a launch from the catalog as its repository's newest. */
    recordLaunch(l: RecentLaunch): void {
      putRecent.run(l.repository, l.tag, l.displayName, l.engine, l.containerId, l.containerName, l.launchedAt);
    },
    /** The `limit` repositories launched most recently, newest first. */
    recent: (limit: number): RecentLaunch[] => recent.all(limit) as RecentLaunch[],
  };
}
export type LaunchPrefsRepository = ReturnType<typeof createLaunchPrefsRepository>;
