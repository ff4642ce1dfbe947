// Settings reach services one way: a slice of the store they subscribe to (real SQLite file).
import { describe, expect, it } from 'vitest';
import { tmpDataDir } from '../../test-support';
import { openDatabase } from './db';
import { BACKGROUND_FAILED } from '../fire-and-forget';
import { createEventLog } from './events';
import { createSettingsStore } from './settings';
import { createSettingsRepository } from './settings-repository';

const open = () => {
  const db = openDatabase(tmpDataDir());
  const events = createEventLog(db);
  return { events, settings: createSettingsStore(createSettingsRepository(db), events) };
};

describe('settings slices', () => {
  it('tells a subscriber the new slice after an update that changed it, and only then', () => {
    const { settings } = open();
    const health = settings.slice((s) => s.health);
    const seen: number[] = [];
    const off = health.subscribe((h) => seen.push(h.checkIntervalSeconds));
    const before = health.get().checkIntervalSeconds;
    settings.update({ liveWindowSeconds: settings.get().liveWindowSeconds + 60 }); // another slice
    expect(seen).toEqual([]);
    settings.update({ health: { checkIntervalSeconds: before + 5 } });
    expect(seen).toEqual([before + 5]);
    expect(health.get().checkIntervalSeconds).toBe(before + 5);
    settings.update({ health: { checkIntervalSeconds: before + 5 } }); // the same value again
    expect(seen).toEqual([before + 5]);
    off();
    settings.update({ health: { checkIntervalSeconds: before + 10 } });
    expect(seen).toEqual([before + 5]);
  });

  it('saves the update and tells the other subscribers when one of them throws; the failure is journaled', () => {
    const { settings, events } = open();
    const told: number[] = [];
    settings.slice((s) => s.sampleIntervalMs).subscribe(() => {
      throw new Error('tool would not restart');
    });
    settings.slice((s) => s.sampleIntervalMs).subscribe((ms) => told.push(ms));
    const next = settings.update({ sampleIntervalMs: 2000 });
    expect(next.sampleIntervalMs).toBe(2000);
    expect(told).toEqual([2000]);
    expect(events.recent().filter((e) => e.type === BACKGROUND_FAILED).map((e) => e.error)).toEqual(['applying changed settings: tool would not restart']);
  });
});
