// The optimiser's schedule under fake timers (no wall clock), following the real settings store on a
// real SQLite file: off at 0, one run per interval once set, a changed interval taken at once, off
// again at 0, and a failed run journaled as background.failed with the next run still due.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { BACKGROUND_FAILED } from '../fire-and-forget';
import { openDatabase } from '../store/db';
import { createEventLog } from '../store/events';
import { createSettingsStore } from '../store/settings';
import { createSettingsRepository } from '../store/settings-repository';
import { createOptimiserSchedule, OPTIMISER_TASK } from './optimiser-schedule';

const MIN = 60_000;

function setup(optimize: (apply: true) => unknown) {
  const db = openDatabase(tmpDataDir());
  const events = createEventLog(db);
  const settings = createSettingsStore(createSettingsRepository(db), events);
  const schedule = createOptimiserSchedule({ optimize, minutes: settings.slice((s) => s.tiers.optimizeEveryMinutes), journal: events });
  const every = (minutes: number) => settings.update({ tiers: { optimizeEveryMinutes: minutes } });
  return { events, settings, schedule, every };
}

describe('the scheduled optimiser', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('runs every tiers.optimizeEveryMinutes minutes, applying its plan, and follows changes of the setting', async () => {
    const runs: number[] = [];
    const t = setup((apply) => {
      expect(apply).toBe(true);
      runs.push(Date.now());
    });
    t.schedule.start();
    // 0 by default: only by hand.
    expect(t.settings.get().tiers.optimizeEveryMinutes).toBe(0);
    await vi.advanceTimersByTimeAsync(120 * MIN);
    expect(runs).toEqual([]);
    expect(t.schedule.intervalMs).toBe(0);

    t.every(5); // at 120 min
    await vi.advanceTimersByTimeAsync(11 * MIN);
    expect(runs).toEqual([125 * MIN, 130 * MIN]);

    t.every(1); // at 131 min: the run due at 135 comes at 132 instead
    expect(t.schedule.intervalMs).toBe(MIN);
    await vi.advanceTimersByTimeAsync(2 * MIN);
    expect(runs.slice(2)).toEqual([132 * MIN, 133 * MIN]);

    t.every(0); // off again
    await vi.advanceTimersByTimeAsync(60 * MIN);
    expect(runs).toHaveLength(4);
    // The proxy's part of the same setting is left as it was.
    expect(t.settings.get().tiers.proxy).toEqual({ enabled: false, port: 11435 });
    await t.schedule.dispose();
  });

  it('journals a failed run as background.failed and still runs the next one; none after dispose()', async () => {
    let calls = 0;
    const t = setup(() => {
      calls++;
      throw new Error('the tier manager is shutting down');
    });
    t.every(10);
    t.schedule.start();
    await vi.advanceTimersByTimeAsync(20 * MIN);
    expect(calls).toBe(2);
    const rows = t.events.recent().filter((e) => e.type === BACKGROUND_FAILED);
    // One row a failed run (10 minutes apart: more than the journal folds together), each naming the task.
    expect(rows.map((r) => r.error)).toEqual([1, 2].map(() => `${OPTIMISER_TASK}: the tier manager is shutting down`));
    await t.schedule.dispose();
    await vi.advanceTimersByTimeAsync(60 * MIN);
    expect(calls).toBe(2);
    expect(t.schedule.intervalMs).toBe(0);
  });
});
