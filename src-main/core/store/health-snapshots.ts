// The health snapshots repository: the `health_snapshots` table, each managed container's verdict
// every snapshot interval, trimmed to the retention; the health report's history reads it back.
import type { HealthState } from '@shared/contract';
import type { Db } from './db';

export interface HealthSnapshot {
  containerId: string;
  state: HealthState;
  /** Worded for a person, worst first. */
  reasons: string[];
  /** The container's CPU and memory use at that moment, percent; null when unknown (not running). */
  cpuPercent: number | null;
  memoryPercent: number | null;
}

export function createHealthSnapshotRepository(db: Db) {
  const insert = db.prepare('INSERT OR REPLACE INTO health_snapshots (container_id, ts, state, reasons, cpu_percent, memory_percent) VALUES (?, ?, ?, ?, ?, ?)');
  const trim = db.prepare('DELETE FROM health_snapshots WHERE ts < ?');
  const since = db.prepare('SELECT ts, state, reasons FROM health_snapshots WHERE container_id = ? AND ts >= ? ORDER BY ts');
  const save = db.transaction((ts: number, snapshots: HealthSnapshot[], keepSince: number) => {
    for (const s of snapshots) insert.run(s.containerId, ts, s.state, JSON.stringify(s.reasons), s.cpuPercent, s.memoryPercent);
    return trim.run(keepSince).changes;
  });

  return {
    /**
     * Stores the snapshots taken at `ts` and deletes every snapshot older than `keepSince` (both ms
     * since epoch), in one transaction; returns how many old ones went. A second snapshot of a
     * container at the same ts replaces the first.
     */
    save: (ts: number, snapshots: HealthSnapshot[], keepSince: number): number => save(ts, snapshots, keepSince),
    /** A container's snapshots from `since` (ms since epoch) on, oldest first. */
    history(containerId: string, from: number): { ts: number; state: HealthState; reasons: string[] }[] {
      return (since.all(containerId, from) as { ts: number; state: HealthState; reasons: string }[]).map((r) => ({ ts: r.ts, state: r.state, reasons: JSON.parse(r.reasons) as string[] }));
    },
  };
}
export type HealthSnapshotRepository = ReturnType<typeof createHealthSnapshotRepository>;
