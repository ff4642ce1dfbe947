// `mlenv db stats|backup|restore` as a user runs them: the built CLI in its own process, on real
// SQLite files in temporary data folders.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { acquireOwner } from '../core/owner';
import { createMetricsStore } from '../core/store/metrics/store';
import { DB_FILE, openDatabase } from '../core/store/db';
import type { DbStats } from '../core/store/db-stats';
import { createEventLog } from '../core/store/events';
import { buildCli, runCli, tmpDataDir } from '../test-support';

beforeAll(() => buildCli(), 120_000);

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const META = { scope: 'host', resource: 'cpu', subject: '', metric: 'cpu_percent', unit: '%', label: 'CPU' } as const;

/** A data folder with 120 CPU samples (one a second from T0), 3 events and 50 identical failures. */
function populated(): string {
  const dir = tmpDataDir();
  const db = openDatabase(dir);
  const store = createMetricsStore(db);
  store.ingestRaw('host::cpu_percent', META, Array.from({ length: 120 }, (_, i) => ({ ts: T0 + i * 1000, value: i % 100 })));
  store.flush();
  const events = createEventLog(db);
  for (let i = 0; i < 3; i++) events.record({ type: 'container.start', containerId: `c${i}`, ts: T0 + i * 60_000 });
  for (let i = 0; i < 50; i++) events.record({ type: 'request.failed', outcome: 'error', error: 'INVALID_INPUT: bad', ts: T0 + 500_000 + i });
  db.close();
  return dir;
}

describe('mlenv db', () => {
  it('stats: size, rows and time span of each table, as a table and as JSON', async () => {
    const dir = populated();
    const text = await runCli(['db', 'stats', '--data-dir', dir]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${path.join(dir, DB_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [\\d.]+ (KiB|MiB) \\([\\d,]+ pages of 4096 B, \\d+ free\\), write-ahead log .+, schema \\d+$`));
    expect(lines[1]).toMatch(/^TABLE\s+ROWS\s+SIZE\s+OLDEST\s+NEWEST$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);
    expect(row('resource_metrics')).toEqual(['resource_metrics', '120', expect.stringMatching(/ KiB$/), '2026-11-20T12:00:00.000Z', '2026-11-20T12:01:59.000Z']);
    expect(row('events')).toEqual(['events', '4', expect.stringMatching(/ KiB$/), '2026-11-20T12:00:00.000Z', '2026-11-20T12:08:20.049Z']);
    expect(row('settings')).toEqual(['settings', '0', expect.stringMatching(/ KiB$/), '—', '—']);

    const json = await runCli(['db', 'stats', '--json', '--data-dir', dir]);
    const s = JSON.parse(json.stdout) as DbStats;
    expect(s).toMatchObject({ file: path.join(dir, DB_FILE), pageSize: 4096, sizeSource: 'dbstat' });
    const byName = Object.fromEntries(s.tables.map((t) => [t.name, t]));
    expect(byName.resource_metrics).toMatchObject({ rows: 120, oldest: T0, newest: T0 + 119_000 });
    expect(byName.resource_metrics_1m).toMatchObject({ rows: 2, oldest: T0, newest: T0 + 60_000 });
    expect(byName.events).toMatchObject({ rows: 4, oldest: T0, newest: T0 + 500_049 });
    // each table takes whole pages (its own and its indexes'), and together no more than the file
    for (const t of s.tables) expect(t.bytes! % s.pageSize).toBe(0);
    expect(byName.events!.bytes).toBeGreaterThanOrEqual(4 * s.pageSize); // the table and its three indexes
    expect(s.tables.reduce((n, t) => n + t.bytes!, 0)).toBeLessThanOrEqual(s.pages * s.pageSize);

    const missing = await runCli(['db', 'stats', '--data-dir', path.join(dir, 'nowhere')]);
    expect(missing).toMatchObject({ code: 1, stderr: `mlenv: there is no database at ${path.join(dir, 'nowhere', DB_FILE)}\n` });
  });

  it('backup then restore round-trips; restore of a corrupt file is refused in one line; restore is refused while the app runs', async () => {
    const dir = populated();
    const backup = await runCli(['db', 'backup', '--data-dir', dir]);
    expect(backup.code).toBe(0);
    const [name] = readdirSync(path.join(dir, 'backups'));
    expect(name).toMatch(/^mlenv-\d{8}T\d{6}Z\.db$/);
    const file = path.join(dir, 'backups', name!);
    expect(backup.stdout).toMatch(new RegExp(`^backed up .+ to ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\([\\d.]+ KiB\\)\\n$`));
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const elsewhere = path.join(tmpDataDir(), 'mine.db');
    expect((await runCli(['db', 'backup', elsewhere, '--data-dir', dir])).code).toBe(0);
    expect(await runCli(['db', 'backup', elsewhere, '--data-dir', dir])).toMatchObject({ code: 1, stderr: `mlenv: ${elsewhere} already exists; choose another file name\n` });

    const target = tmpDataDir();
    const restored = await runCli(['db', 'restore', elsewhere, '--data-dir', target]);
    expect(restored).toMatchObject({ code: 0, stdout: `restored ${elsewhere} into ${path.join(target, DB_FILE)}\n` });
    const again = await runCli(['db', 'restore', file, '--data-dir', target]);
    expect(again.stdout).toMatch(/; the previous database is kept as .+mlenv\.db\.before-restore-\d{8}T\d{6}Z\n$/);
    const stats = JSON.parse((await runCli(['db', 'stats', '--json', '--data-dir', target])).stdout) as DbStats;
    expect(stats.tables.find((t) => t.name === 'resource_metrics')).toMatchObject({ rows: 120 });

    const garbage = path.join(tmpDataDir(), 'garbage.db');
    writeFileSync(garbage, 'not a database at all '.repeat(300));
    const bad = await runCli(['db', 'restore', garbage, '--data-dir', target]);
    expect(bad).toMatchObject({ code: 1, stdout: '', stderr: `mlenv: ${garbage} cannot be restored: it is not a SQLite database (file is not a database); ${path.join(target, DB_FILE)} was not changed\n` });

    const lock = acquireOwner(target, { transport: 'desktop', version: 'test' }); // this test process plays the running app
    try {
      const refused = await runCli(['db', 'restore', file, '--data-dir', target]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(`mlenv: MLEnv is running on ${target}: the desktop app (pid ${process.pid}) has it open; quit it first, then restore; ${path.join(target, DB_FILE)} was not changed\n`);
    } finally {
      lock.release();
    }
    expect((await runCli(['db', 'restore', '--data-dir', target])).code).toBe(2);
    expect((await runCli(['db', 'vacuum', '--data-dir', target])).code).toBe(2);
  });
});
