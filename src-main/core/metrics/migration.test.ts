import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { migrate } from '../store/db';
import { MIGRATIONS } from '../store/migrations';

describe('migration 004: 10-minute rollups', () => {
  it('backfills them from the per-minute rollups of a version-3 database', () => {
    const db = new Database(path.join(tmpDataDir(), 'v3.db'));
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) db.exec(m.sql);
    db.pragma('user_version = 3');
    db.exec(`INSERT INTO metric_series (id, name, scope, resource_type, subject, metric, unit, label, first_ts, last_ts)
             VALUES (1, 'host::cpu_percent', 'host', 'cpu', '', 'cpu_percent', '%', 'Host CPU', 0, 0)`);
    const ins = db.prepare('INSERT INTO resource_metrics_1m (series_id, ts, min, max, sum, count) VALUES (1, ?, ?, ?, ?, 60)');
    ins.run(600_000, 10, 20, 900); // minute 10 → bucket 600000
    ins.run(660_000, 5, 50, 1500); // minute 11 → same bucket
    ins.run(1_200_000, 1, 2, 90); // next bucket
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare('SELECT ts, min, max, sum, count FROM resource_metrics_10m ORDER BY ts').all()).toEqual([
      { ts: 600_000, min: 5, max: 50, sum: 2400, count: 120 },
      { ts: 1_200_000, min: 1, max: 2, sum: 90, count: 60 },
    ]);
    db.close();
  });
});
