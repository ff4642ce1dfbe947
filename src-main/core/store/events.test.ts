// The journal folds a failure repeated by one caller into one row with a count; everything else
// stays one row per event. Times are passed in (`ts`), never read from the clock.
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { openDatabase } from './db';
import { createEventLog } from './events';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const setup = () => {
  const db = openDatabase(tmpDataDir());
  return { db, events: createEventLog(db) };
};
const rows = (db: ReturnType<typeof setup>['db']) => (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;

// What the app's router journals for a malformed request (app.ts onFailure).
const malformed = (ts: number, message = 'containers.launch: image: Invalid input: expected string, received undefined') => ({
  type: 'request.failed',
  outcome: 'error' as const,
  error: `INVALID_INPUT: ${message}`,
  details: { request: 'containers.launch' },
  ts,
});

describe('events journal coalescing', () => {
  it('3,000 identical failures within the window are one row with count 3000 and the last time', () => {
    const { db, events } = setup();
    const ids = new Set<number>();
    for (let i = 0; i < 3000; i++) ids.add(events.record(malformed(T0 + i * 10))); // 30 s of retries
    expect(ids.size).toBe(1);
    expect(rows(db)).toBe(1);
    const [row] = events.query({ limit: 10, type: 'request.failed' });
    expect(row).toMatchObject({ type: 'request.failed', count: 3000, ts: T0, lastTs: T0 + 2999 * 10, outcome: 'error' });
    expect(events.recent(1)[0]).toMatchObject({ count: 3000, lastTs: T0 + 29_990 });
  });

  it('different errors, types, engines, containers or callers stay separate rows', () => {
    const { db, events } = setup();
    events.record(malformed(T0));
    events.record(malformed(T0 + 1, 'containers.launch: memory: "lots" is not a size'));
    events.record({ ...malformed(T0 + 2), details: { request: 'images.pull' } });
    events.record({ ...malformed(T0 + 3), type: 'background.failed' });
    events.record({ ...malformed(T0 + 4), engine: 'gpu-box' });
    events.record({ ...malformed(T0 + 5), containerId: 'abc123', container: 'trainer' });
    events.record({ ...malformed(T0 + 6), actor: 'user' });
    expect(rows(db)).toBe(7);
    // and each of them, repeated, folds into its own row
    events.record({ ...malformed(T0 + 7), engine: 'gpu-box' });
    events.record(malformed(T0 + 8, 'containers.launch: memory: "lots" is not a size'));
    expect(rows(db)).toBe(7);
    const counts = (db.prepare('SELECT count FROM events ORDER BY id').all() as { count: number }[]).map((r) => r.count);
    expect(counts).toEqual([1, 2, 1, 1, 2, 1, 1]);
  });

  it('a repeat after the window starts a new row; successes are never folded', () => {
    const { db, events } = setup();
    const first = events.record(malformed(T0));
    expect(events.record(malformed(T0 + 59_999))).toBe(first);
    const second = events.record(malformed(T0 + 60_000));
    expect(second).not.toBe(first);
    expect(events.record(malformed(T0 + 60_001))).toBe(second);
    for (let i = 0; i < 3; i++) events.record({ type: 'container.start', containerId: 'abc', actor: 'user', ts: T0 + i });
    expect(rows(db)).toBe(5);
    expect(events.query({ limit: 10, type: 'container.start' }).map((r) => r.count)).toEqual([1, 1, 1]);
  });

  it('coalescing can be turned off (coalesceMs 0)', () => {
    const db = openDatabase(tmpDataDir());
    const events = createEventLog(db, { coalesceMs: 0 });
    for (let i = 0; i < 5; i++) events.record(malformed(T0 + i));
    expect(rows(db)).toBe(5);
  });

  it('finds the row to add to through the partial index, not by scanning the journal', () => {
    const { db } = setup();
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM events WHERE outcome = 'error' AND type = ? AND ts > ? AND ts <= ? ORDER BY ts DESC LIMIT 1`)
      .all('request.failed', T0, T0) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('events_errors');
  });
});
