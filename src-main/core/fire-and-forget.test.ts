// fireAndForget on a real journal (a SQLite file): a rejection becomes an events row, a closed
// journal falls back to the log, and nothing is ever left as an unhandled rejection.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tmpDataDir } from '../test-support';
import { BACKGROUND_FAILED, fireAndForget } from './fire-and-forget';
import { openDatabase } from './store/db';
import { createEventLog } from './store/events';

/** Lets every pending promise callback run (a rejection handler runs within a few microtasks). */
const settle = () => new Promise((r) => setImmediate(r));

describe('fireAndForget', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (r: unknown) => unhandled.push(r);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    vi.restoreAllMocks();
  });

  it('journals a rejection as background.failed naming the task, and leaves nothing unhandled', async () => {
    const db = openDatabase(tmpDataDir());
    const events = createEventLog(db);
    fireAndForget(Promise.reject(new Error('engine went away')), 'health check of container abc', events);
    fireAndForget(
      (async () => {
        throw new TypeError('Request path contains unescaped characters');
      })(),
      'judgement',
      events,
    );
    await settle();
    const rows = events.recent().filter((e) => e.type === BACKGROUND_FAILED);
    expect(rows.map((r) => r.error).sort()).toEqual(['health check of container abc: engine went away', 'judgement: Request path contains unescaped characters']);
    expect(rows[0]).toMatchObject({ outcome: 'error', actor: 'app' });
    expect(rows.map((r) => r.details)).toContainEqual({ task: 'judgement' });
    expect(unhandled).toEqual([]);
    db.close();
  });

  it('writes nothing for work that succeeds, or for no work at all (an optional call)', async () => {
    const db = openDatabase(tmpDataDir());
    const events = createEventLog(db);
    fireAndForget(Promise.resolve(42), 'fine', events);
    fireAndForget(undefined, 'gpu?.start() without a GPU tool', events);
    await settle();
    expect(events.recent()).toEqual([]);
    db.close();
  });

  it('logs the failure when the journal cannot write (its database closed) or there is none', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const db = openDatabase(tmpDataDir());
    const events = createEventLog(db);
    db.close();
    fireAndForget(Promise.reject(new Error('late failure')), 'closing task', events);
    fireAndForget(Promise.reject('a plain string'), 'no journal here');
    await settle();
    expect(lines.join('')).toMatch(/WARN could not journal a background failure .*"task":"closing task"/);
    expect(lines.join('')).toMatch(/WARN closing task failed \{"message":"late failure"\}/);
    expect(lines.join('')).toMatch(/WARN no journal here failed \{"message":"a plain string"\}/);
    expect(unhandled).toEqual([]);
  });
});
