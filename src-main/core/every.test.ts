// every() under fake timers (no wall clock): no overlap, interval changes, alignment with an injected
// clock, failures journaled on a real SQLite journal, and dispose() that waits for a run in flight.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tmpDataDir } from '../test-support';
import { disposable, disposeAll } from './disposable';
import { every } from './every';
import { BACKGROUND_FAILED } from './fire-and-forget';
import { openDatabase } from './store/db';
import { createEventLog } from './store/events';

describe('every', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('runs after the first delay, then once per interval', async () => {
    let runs = 0;
    const loop = every(1000, () => runs++, { what: 't', firstMs: 50 });
    await vi.advanceTimersByTimeAsync(49);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(4);
    await loop.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(4);
  });

  it('never overlaps: a slow run delays the next by its own length', async () => {
    let active = 0;
    let most = 0;
    const starts: number[] = [];
    const loop = every(
      100,
      async () => {
        starts.push(Date.now()); // the fake clock
        most = Math.max(most, ++active);
        await new Promise((r) => setTimeout(r, 250));
        active--;
      },
      { what: 'slow' },
    );
    await vi.advanceTimersByTimeAsync(500);
    expect(most).toBe(1);
    expect(starts).toEqual([100, 450]); // 100 + 250 run + 100 wait
    const stopped = loop.dispose(); // the second run is in flight until 700
    await vi.advanceTimersByTimeAsync(250);
    await stopped;
  });

  it('dispose() resolves only after the run in flight ends, and no run starts after it', async () => {
    let finished = false;
    let runs = 0;
    const loop = every(
      10,
      async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 100));
        finished = true;
      },
      { what: 'inflight', firstMs: 0 },
    );
    await vi.advanceTimersByTimeAsync(1);
    let disposed = false;
    const d = loop.dispose().then(() => (disposed = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(disposed).toBe(false);
    await vi.advanceTimersByTimeAsync(60);
    await d;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
  });

  it('takes a new interval at run time', async () => {
    let runs = 0;
    const loop = every(1000, () => runs++, { what: 'change' });
    loop.setInterval(100);
    expect(loop.intervalMs).toBe(100);
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(10);
    await loop.dispose();
  });

  it('with align, runs on multiples of the interval of the injected clock', async () => {
    vi.setSystemTime(12_345);
    const clock = () => Date.now() + 7; // a clock of its own, 7 ms ahead of the timers' one
    const at: number[] = [];
    const loop = every(1000, () => at.push(clock()), { what: 'aligned', align: true, now: clock });
    await vi.advanceTimersByTimeAsync(3000);
    expect(at).toEqual([13_000, 14_000, 15_000]);
    await loop.dispose();
  });

  it('journals a failure as background.failed and keeps running', async () => {
    const events = createEventLog(openDatabase(tmpDataDir()));
    let runs = 0;
    const loop = every(
      100,
      () => {
        runs++;
        throw new Error('engine went away');
      },
      { what: 'engine check', journal: events },
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(runs).toBe(2);
    const rows = events.recent().filter((e) => e.type === BACKGROUND_FAILED);
    // The journal folds the repeat into one row (events.ts coalescing); it is there, naming the task.
    expect(rows.map((r) => r.error)).toEqual(['engine check: engine went away']);
    await loop.dispose();
  });

  it('hands a failure to onError instead when given, and onSuccess after a good run', async () => {
    const seen: string[] = [];
    let fail = true;
    const loop = every(
      100,
      () => {
        if (fail) throw new Error('no sample');
      },
      { what: 'x', onError: (e) => seen.push((e as Error).message), onSuccess: () => seen.push('ok') },
    );
    await vi.advanceTimersByTimeAsync(100);
    fail = false;
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toEqual(['no sample', 'ok']);
    await loop.dispose();
  });
});

describe('disposeAll', () => {
  it('disposes in reverse order and goes on past a failure', async () => {
    const order: string[] = [];
    await disposeAll([
      disposable(() => void order.push('a')),
      disposable(() => {
        throw new Error('listener already gone');
      }),
      disposable(async () => void order.push('c')),
    ]);
    expect(order).toEqual(['c', 'a']);
  });
});
