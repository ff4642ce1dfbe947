// The events journal's retention, by age and by row count, with `now` passed in; and its sweep
// stopping cleanly when the app closes.
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { openDatabase, type Db } from './db';
import { createEventLog } from './events';
import { createJournalRetention } from './journal-retention';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const setup = (sliceRows = 100) => {
  const db = openDatabase(tmpDataDir());
  const events = createEventLog(db);
  const retention = createJournalRetention({ events, settings: () => ({ retentionDays: 30, maxRows: 100_000 }), sliceRows });
  return { db, events, retention };
};
/** One event an hour for `days` days before NOW, oldest first. */
const fill = (db: Db, days: number) => {
  const events = createEventLog(db);
  db.transaction(() => {
    for (let h = days * 24; h > 0; h--) events.record({ type: 'container.start', containerId: `c${h}`, ts: NOW - h * 3_600_000 });
  })();
};
const tsRange = (db: Db) => db.prepare('SELECT COUNT(*) AS n, MIN(ts) AS oldest, MAX(ts) AS newest FROM events').get() as { n: number; oldest: number; newest: number };

describe('events journal retention', () => {
  it('removes rows older than retentionDays, in slices, and nothing newer', async () => {
    const { db, retention } = setup(100);
    fill(db, 40); // 960 rows
    const r = await retention.sweep(NOW, { retentionDays: 30, maxRows: 100_000 });
    expect(r).toEqual({ byAge: 10 * 24, byRows: 0 }); // a row exactly 30 days old is at the horizon: it stays
    const left = tsRange(db);
    expect(left.n).toBe(30 * 24);
    expect(left.oldest).toBe(NOW - 30 * DAY);
    expect(left.newest).toBe(NOW - 3_600_000);
    expect(await retention.sweep(NOW, { retentionDays: 30, maxRows: 100_000 })).toEqual({ byAge: 0, byRows: 0 });
  });

  it('keeps at most maxRows, dropping the oldest first', async () => {
    const { db, retention } = setup(64);
    fill(db, 10); // 240 rows, all within the age
    const r = await retention.sweep(NOW, { retentionDays: 3650, maxRows: 100 });
    expect(r).toEqual({ byAge: 0, byRows: 140 });
    const left = tsRange(db);
    expect(left.n).toBe(100);
    expect(left.oldest).toBe(NOW - 100 * 3_600_000);
    expect(left.newest).toBe(NOW - 3_600_000);
  });

  it('a coalesced row counts once toward maxRows', async () => {
    const { db, events, retention } = setup();
    for (let i = 0; i < 5000; i++) events.record({ type: 'request.failed', outcome: 'error', error: 'INVALID_INPUT: bad', ts: NOW - 1000 + i / 10 });
    expect(await retention.sweep(NOW, { retentionDays: 30, maxRows: 1000 })).toEqual({ byAge: 0, byRows: 0 });
    expect((db.prepare('SELECT count FROM events').get() as { count: number }).count).toBe(5000);
  });

  it('a sweep in flight when it stops ends before its next slice and never touches the closed database', async () => {
    const { db, retention } = setup(10);
    fill(db, 40);
    const before = tsRange(db).n;
    const inFlight = retention.sweep(NOW, { retentionDays: 1, maxRows: 100_000 });
    // The first slice ran synchronously; the rest wait for the event loop.
    const stopped = retention.stop();
    db.close();
    await expect(inFlight).resolves.toMatchObject({ byAge: 10 });
    await stopped;
    const reopened = openDatabase(db.name.slice(0, -'/mlenv.db'.length));
    expect(tsRange(reopened).n).toBe(before - 10);
    reopened.close();
    expect(await retention.sweep(NOW)).toEqual({ byAge: 0, byRows: 0 }); // stopped for good
  });
});
